import { defineCommand, HANDLERS } from '../src/command/spec.js';
import { CALL_OUTCOMES } from '../src/domain/ticket-state.js';
import type { MessageKey } from '../src/i18n/index.js';
import { callCustomer } from '../src/services/calls.js';
import { ephemeral, ticketTime } from '../src/services/present.js';

export default defineCommand({
  name: 'hubungi',
  description: 'cmd.hubungi',
  roles: HANDLERS,
  positionals: { ticket: 'required', text: 'optional' },
  options: [
    {
      name: 'hasil',
      kind: 'choice',
      choices: CALL_OUTCOMES,
      aliases: {
        connected: 'tersambung',
        'no-answer': 'tidak-diangkat',
        busy: 'sibuk',
        'wrong-number': 'salah-sambung',
        callback: 'minta-dihubungi-lagi',
      },
      required: true,
      description: 'opt.hasilPanggilan',
    },
    { name: 'jam', kind: 'string', description: 'opt.jam' },
    {
      name: 'zona',
      kind: 'choice',
      choices: ['WIB', 'WITA', 'WIT'],
      aliases: { wib: 'WIB', wita: 'WITA', wit: 'WIT' },
      description: 'opt.zona',
    },
  ],
  example: 'hubungi GGN-000042 hasil=minta-dihubungi-lagi jam=14.00 pelanggan sedang rapat',
  async handler({ core, actor, t: say }, { ticket, text, options }) {
    const r = await callCustomer(core, actor, ticket ?? '', {
      outcome: options.hasil,
      time: options.jam,
      zone: options.zona,
      text,
    });
    const max = core.config.POSKO_MAX_ATTEMPTS;
    const callback = r.callbackAt ? ticketTime(core, r.ticket, r.callbackAt) : null;
    const lines = [say('reply.called', { ticket: r.ticket.number, outcome: say(`call.${r.outcome}` as MessageKey) })];
    if (callback) lines.push(say(r.moved ? 'reply.callbackMoved' : 'reply.callback', { at: callback.text }));
    if (r.tooSoon) lines.push(say('reply.callTooSoon', { minutes: core.config.POSKO_ATTEMPT_SPACING_MINUTES }));
    else if (r.outcome !== 'tersambung' && r.outcome !== 'minta-dihubungi-lagi')
      lines.push(
        r.attempts >= max
          ? say('reply.mayCloseNoContact', { ticket: r.ticket.number, n: r.attempts })
          : say('reply.attemptsSoFar', { n: r.attempts, max }),
      );
    return [ephemeral(r.ticket.number, lines.join('\n'), callback ? { times: [callback] } : {})];
  },
});
