import { defineCommand, HANDLERS } from '../src/command/spec.js';
import { decideEscalation } from '../src/services/escalation.js';
import { ephemeral } from '../src/services/present.js';

export default defineCommand({
  name: 'tolak',
  description: 'cmd.tolak',
  roles: HANDLERS,
  positionals: { ticket: 'required', text: 'required' },
  options: [{ name: 'permintaan', kind: 'string', description: 'opt.permintaan' }],
  example: 'tolak GGN-000042 cek ulang redaman dulu sebelum eskalasi',
  async handler({ core, actor, t: say }, { ticket, text, options }) {
    const r = await decideEscalation(core, actor, ticket ?? '', 'rejected', {
      note: text,
      requestId: options.permintaan,
    });
    return [ephemeral(r.ticket.number, say('reply.rejected', { ticket: r.ticket.number }))];
  },
});
