import { defineCommand, HANDLERS } from '../src/command/spec.js';
import { reopenTicket } from '../src/services/lifecycle.js';
import { ephemeral } from '../src/services/present.js';

export default defineCommand({
  name: 'buka-lagi',
  description: 'cmd.bukaLagi',
  roles: HANDLERS,
  positionals: { ticket: 'required', text: 'required' },
  options: [],
  example: 'buka-lagi GGN-000042 pelanggan menelepon lagi, internet mati lagi sejak pagi',
  async handler({ core, actor, t: say }, { ticket, text }) {
    const t = await reopenTicket(core, actor, ticket ?? '', text);
    return [ephemeral(t.number, say('reply.reopened', { ticket: t.number }))];
  },
});
