import { defineCommand, HANDLERS } from '../src/command/spec.js';
import { SATISFACTION_SCORES } from '../src/domain/satisfaction.js';
import { confirmResult } from '../src/services/lifecycle.js';
import { ephemeral } from '../src/services/present.js';

export default defineCommand({
  name: 'konfirmasi',
  description: 'cmd.konfirmasi',
  roles: HANDLERS,
  positionals: { ticket: 'required', text: 'optional' },
  options: [
    { name: 'hasil', kind: 'choice', choices: ['ok', 'gagal'], required: true, description: 'opt.hasil' },
    { name: 'puas', kind: 'choice', choices: SATISFACTION_SCORES, description: 'opt.puas' },
  ],
  example: 'konfirmasi GGN-000042 hasil=ok puas=5 pelanggan sudah bisa browsing',
  async handler({ core, actor, t: say }, { ticket, text, options }) {
    const t = await confirmResult(core, actor, ticket ?? '', options.hasil, text, options.puas);
    const key = options.hasil === 'ok' ? 'reply.confirmedOk' : 'reply.confirmedFailed';
    return [ephemeral(t.number, say(key, { ticket: t.number }))];
  },
});
