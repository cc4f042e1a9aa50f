import { defineCommand, HANDLERS } from '../src/command/spec.js';
import { ESCALATION_LEVELS } from '../src/domain/ticket-state.js';
import { requestEscalation } from '../src/services/escalation.js';
import { ephemeral, mention } from '../src/services/present.js';

export default defineCommand({
  name: 'eskalasi',
  description: 'cmd.eskalasi',
  roles: HANDLERS,
  positionals: { ticket: 'required', text: 'required' },
  options: [
    { name: 'ke', kind: 'choice', choices: ESCALATION_LEVELS, description: 'opt.ke' },
    { name: 'ref', kind: 'string', description: 'opt.ref' },
  ],
  example: 'eskalasi GGN-000042 ke=tl gangguan massal, sudah 2x kunjungan gagal',
  async handler({ core, actor, t: say }, { ticket, text, options }) {
    const r = await requestEscalation(core, actor, ticket ?? '', options.ke, text, options.ref);
    const who = r.approvers.length ? r.approvers.map(mention).join(' ') : say('reply.nobodyToApprove');
    return [
      ephemeral(
        r.ticket.number,
        say('reply.escalated', {
          ticket: r.ticket.number,
          level: say(`level.${r.escalation.level}` as 'level.tl'),
          who,
        }),
      ),
    ];
  },
});
