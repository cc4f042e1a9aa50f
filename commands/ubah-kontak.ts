import { defineCommand, HANDLERS } from '../src/command/spec.js';
import { updateContact } from '../src/services/lifecycle.js';
import { ephemeral } from '../src/services/present.js';

export default defineCommand({
  name: 'ubah-kontak',
  description: 'cmd.ubahKontak',
  roles: HANDLERS,
  positionals: { ticket: 'required' },
  options: [{ name: 'kontak', kind: 'string', required: true, description: 'opt.kontak' }],
  example: 'ubah-kontak GGN-000042 kontak=081298765432',
  async handler({ core, actor, t: say }, { ticket, options }) {
    const t = await updateContact(core, actor, ticket ?? '', options.kontak);
    return [ephemeral(t.number, say('reply.contactUpdated', { ticket: t.number }))];
  },
});
