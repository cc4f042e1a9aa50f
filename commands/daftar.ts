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
    {
      name: 'milik',
      kind: 'choice',
      choices: ['saya', 'tim', 'semua'],
      aliases: { mine: 'saya', me: 'saya', team: 'tim', all: 'semua' },
      description: 'opt.milik',
    },
    { name: 'hal', kind: 'string', description: 'opt.hal' },
  ],
  example: 'daftar status=eskalasi milik=tim',
  async handler({ core, actor, t, viewer }, { options }) {
    const page = await listTickets(core, actor, options.status, options.milik, options.hal);
    if (page.rows.length === 0) return [ephemeral(null, t('list.empty'))];
    const now = core.clock();
    const lines = page.rows.map((row) => listLine(viewer, row, now));
    if (page.page < page.pages) {
      const kept = ['status', 'milik'].filter((k) => options[k]).map((k) => `${k}=${options[k]} `);
      lines.push(t('list.next', { args: `${kept.join('')}hal=${page.page + 1}` }));
    }
    return [
      ephemeral(
        null,
        `${t('list.titlePage', { total: page.total, page: page.page, pages: page.pages })}\n${lines.join('\n')}`,
      ),
    ];
  },
});
