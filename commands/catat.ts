import { defineCommand, HANDLERS } from '../src/command/spec.js';
import { addNote } from '../src/services/lifecycle.js';
import { ephemeral } from '../src/services/present.js';

export default defineCommand({
  name: 'catat',
  description: 'cmd.catat',
  roles: HANDLERS,
  positionals: { ticket: 'required', text: 'required' },
  options: [{ name: 'dari', kind: 'choice', choices: ['telkom'], description: 'opt.dari' }],
  example: 'catat GGN-000042 sudah koordinasi dengan tim NOSSA, ODP dicek teknisi',
  async handler({ core, actor, t: say }, { ticket, text, options }) {
    const t = await addNote(core, actor, ticket ?? '', text, options.dari);
    return [ephemeral(t.number, say('reply.noted', { ticket: t.number }))];
  },
});
