import { defineCommand, LEADERS } from '../src/command/spec.js';
import { takeOver } from '../src/services/lifecycle.js';
import { ephemeral, mention } from '../src/services/present.js';

export default defineCommand({
  name: 'ambil',
  description: 'cmd.ambil',
  roles: LEADERS,
  positionals: { ticket: 'required' },
  options: [],
  example: 'ambil GGN-000042',
  async handler({ core, actor, t: say }, { ticket }) {
    const r = await takeOver(core, actor, ticket ?? '');
    return [ephemeral(r.ticket.number, say('reply.takenOver', { ticket: r.ticket.number, from: mention(r.previous) }))];
  },
});
