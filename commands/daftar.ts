import { ALL_ROLES, defineCommand } from '../src/command/spec.js';
import { STATUS_WORDS } from '../src/domain/ticket.js';
import { ephemeral } from '../src/services/present.js';
import { listLine, listTickets } from '../src/services/queries.js';

export default defineCommand({
  name: 'daftar',
  description: 'cmd.daftar',
  roles: ALL_ROLES,
  readOnly: true,
  positionals: {},
  options: [
    { name: 'status', kind: 'choice', choices: Object.keys(STATUS_WORDS), description: 'opt.status' },
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
