import { defineCommand, HANDLERS } from '../src/command/spec.js';
import { decideEscalation } from '../src/services/escalation.js';
import { ephemeral } from '../src/services/present.js';

export default defineCommand({
  name: 'setujui',
  description: 'cmd.setujui',
  roles: HANDLERS,
  positionals: { ticket: 'required' },
  options: [
    { name: 'permintaan', kind: 'string', description: 'opt.permintaan' },
    { name: 'ref', kind: 'string', description: 'opt.ref' },
  ],
  example: 'setujui GGN-000042',
  async handler({ core, actor, t: say }, { ticket, options }) {
    const r = await decideEscalation(core, actor, ticket ?? '', 'approved', {
      requestId: options.permintaan,
      ref: options.ref,
    });
    return [
      ephemeral(
        r.ticket.number,
        say('reply.approved', {
          ticket: r.ticket.number,
          level: say(`level.${r.escalation.level}` as 'level.tl'),
        }),
      ),
    ];
  },
});
