import { ALL_ROLES, defineCommand } from '../src/command/spec.js';
import { STATUS_WORDS } from '../src/domain/ticket.js';

/** What Discord offers and bantuan shows; the English words and short forms still work when typed. */
const STATUS_CHOICES = ['aktif', 'ditangani', 'eskalasi', 'dikonfirmasi', 'ditutup'];
const canonical = (word: string) => STATUS_CHOICES.find((c) => STATUS_WORDS[c] === STATUS_WORDS[word]) ?? word;

import { ephemeral } from '../src/services/present.js';
import { listLine, listTickets } from '../src/services/queries.js';

export default defineCommand({
  name: 'daftar',
  description: 'cmd.daftar',
  roles: ALL_ROLES,
  readOnly: true,
  positionals: {},
  options: [
    {
      name: 'status',
      kind: 'choice',
      choices: STATUS_CHOICES,
      aliases: Object.fromEntries(
        Object.keys(STATUS_WORDS)
          .filter((w) => !STATUS_CHOICES.includes(w))
          .map((w) => [w, canonical(w)]),
      ),
      description: 'opt.status',
    },
    { name: 'milik', kind: 'choice', choices: ['saya', 'tim', 'semua'], description: 'opt.milik' },
  ],
  example: 'daftar status=eskalasi milik=tim',
  async handler({ core, actor }, { options }) {
    const { rows, more } = await listTickets(core, actor, options.status, options.milik);
    if (rows.length === 0) return [ephemeral(null, core.t('list.empty'))];
    const now = core.clock();
    const lines = rows.map((t) => listLine(core, t, now));
    if (more) lines.push(core.t('list.more'));
    return [ephemeral(null, `${core.t('list.title', { count: rows.length })}\n${lines.join('\n')}`)];
  },
});
