import { defineCommand, HANDLERS } from '../src/command/spec.js';
import { DomainError } from '../src/domain/errors.js';
import { closeTicket } from '../src/services/lifecycle.js';
import { ephemeral } from '../src/services/present.js';

export default defineCommand({
  name: 'tutup',
  description: 'cmd.tutup',
  roles: HANDLERS,
  positionals: { ticket: 'required', text: 'optional' },
  options: [
    { name: 'tawaran', kind: 'yes', description: 'opt.tawaran' },
    { name: 'kode', kind: 'string', description: 'opt.kode' },
    { name: 'tiket', kind: 'string', description: 'opt.tiketUtama', nativeName: 'tiket-utama' },
  ],
  example: 'tutup GGN-000042 tawaran=ya kode=FIXED-ODP',
  async handler({ core, actor, t: say }, { ticket, text, options }) {
    try {
      const t = await closeTicket(core, actor, ticket ?? '', {
        offer: options.tawaran === 'ya',
        code: options.kode,
        primary: options.tiket,
        text,
      });
      return [ephemeral(t.number, say('reply.closed', { ticket: t.number }))];
    } catch (err) {
      if (!(err instanceof DomainError) || err.key !== 'err.needOffer') throw err;
      // P5.7: show the standard sentence, and let one click close with the offer recorded.
      const number = String(err.params.ticket);
      const code = options.kode ? ` kode=${options.kode}` : '';
      const reason = text ? ` "${text.replace(/"/g, "'")}"` : '';
      return [
        ephemeral(number, `${say('err.needOffer', { ticket: number })}\n> ${say('sop.offerSentence')}`, {
          error: 'conflict',
          buttons: [
            {
              actionId: 'ticket.closeWithOffer',
              label: say('button.closeWithOffer'),
              command: `tutup ${number} tawaran=ya${code}${reason}`,
              style: 'primary',
            },
          ],
        }),
      ];
    }
  },
});
