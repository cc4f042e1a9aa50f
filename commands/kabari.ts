import { defineCommand, HANDLERS } from '../src/command/spec.js';
import { informCustomer } from '../src/services/lifecycle.js';
import { ephemeral } from '../src/services/present.js';

export default defineCommand({
  name: 'kabari',
  description: 'cmd.kabari',
  roles: HANDLERS,
  positionals: { ticket: 'required', text: 'required' },
  options: [],
  example: 'kabari GGN-000042 pelanggan ditelepon, teknisi dijadwalkan jam 14.00',
  async handler({ core, actor, t: say }, { ticket, text }) {
    const t = await informCustomer(core, actor, ticket ?? '', text);
    return [ephemeral(t.number, say('reply.informed', { ticket: t.number }))];
  },
});
