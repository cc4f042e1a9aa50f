import { ALL_ROLES, defineCommand } from '../src/command/spec.js';
import { SERVICE_LINE_INFO, SERVICE_LINES, type ServiceLine } from '../src/domain/service-lines.js';
import { afterTicketOpenedMonita } from '../src/services/monita.js';
import { intakeErrors, openTicket, ticketFromMessage } from '../src/services/open.js';
import { ephemeral, mention, neutralise, ticketCard } from '../src/services/present.js';

const INTAKE = ['layanan', 'id', 'nama', 'kontak', 'keluhan'] as const;

export default defineCommand({
  name: 'buka',
  description: 'cmd.buka',
  roles: ALL_ROLES,
  positionals: {},
  intakeForm: true,
  options: [
    { name: 'layanan', kind: 'choice', choices: SERVICE_LINES, required: true, description: 'opt.layanan' },
    { name: 'id', kind: 'string', required: true, description: 'opt.id' },
    { name: 'nama', kind: 'string', required: true, description: 'opt.nama' },
    { name: 'kontak', kind: 'string', required: true, description: 'opt.kontak' },
    { name: 'keluhan', kind: 'string', required: true, description: 'opt.keluhan' },
    { name: 'monita', kind: 'string', description: 'opt.monita' },
    { name: 'baru', kind: 'yes', description: 'opt.baru' },
    {
      name: 'zona',
      kind: 'choice',
      choices: ['WIB', 'WITA', 'WIT'],
      aliases: { wib: 'WIB', wita: 'WITA', wit: 'WIT' },
      description: 'opt.zona',
    },
  ],
  // Everything missing or wrong in one answer; with no intake at all, Slack and Discord show the form.
  validate: (options, platform) =>
    INTAKE.every((k) => !options[k]) && platform !== 'console' ? [] : intakeErrors(options),
  example:
    'buka layanan=indihome id=122123456789 nama="Siti Rahma" kontak=081234567890 keluhan="internet mati sejak pagi"',
  async handler({ core, actor, platform, channel, t, viewer, source }, { options }) {
    const madeBefore = (ticket: { number: string; assignee: string }) => [
      ephemeral(
        ticket.number,
        t('reply.fromMessageExists', { ticket: ticket.number, assignee: mention(ticket.assignee) }),
      ),
    ];
    if (INTAKE.every((k) => !options[k]) && platform !== 'console') {
      // From a message that already made a ticket: say which, no form (the submit checks again, race-free).
      const before = source ? await ticketFromMessage(core.db, source) : undefined;
      if (before) return madeBefore(before);
      // Slack and Discord show this as a modal; the same command runs with the fields it collects.
      const complaint = source?.text ? neutralise(source.text).slice(0, 1000) : '';
      return [
        ephemeral(null, t(source ? 'form.fromMessage.hint' : 'form.open.hint'), {
          form: {
            command: 'buka',
            ...(source ? { source: { ...source, text: undefined } } : {}),
            title: t('form.open.title'),
            fields: [
              {
                name: 'layanan',
                label: t('opt.layanan'),
                kind: 'choice',
                required: true,
                choices: SERVICE_LINES.map((s) => ({ value: s, label: t(`service.${s}`) })),
              },
              { name: 'id', label: t('opt.id'), kind: 'text', required: true },
              { name: 'nama', label: t('opt.nama'), kind: 'text', required: true },
              { name: 'kontak', label: t('opt.kontak'), kind: 'text', required: true },
              {
                name: 'keluhan',
                label: t('opt.keluhan'),
                kind: 'long_text',
                required: true,
                ...(complaint ? { initial: complaint } : {}),
              },
              { name: 'monita', label: t('opt.monita'), kind: 'text', required: false },
            ],
          },
        }),
      ];
    }
    const where = { platform, channel, ...(source ? { source } : {}) };
    const result = await openTicket(core, actor, where, { ...options, baru: options.baru === 'ya' });
    const { ticket } = result;
    if (result.fromMessageBefore) return madeBefore(ticket);
    if (result.repeat)
      return [
        ephemeral(
          ticket.number,
          t('reply.repeat', { ticket: ticket.number, count: ticket.repeatCount, assignee: mention(ticket.assignee) }),
          result.otherContact
            ? {
                text: `${t('reply.repeat', { ticket: ticket.number, count: ticket.repeatCount, assignee: mention(ticket.assignee) })}\n${t('reply.otherContact', { ticket: ticket.number, contact: result.otherContact })}`,
                buttons: [
                  {
                    actionId: 'ticket.updateContact',
                    label: t('button.updateContact'),
                    command: `ubah-kontak ${ticket.number} kontak=${result.otherContact}`,
                    style: 'primary',
                  },
                ],
              }
            : {},
        ),
      ];
    // Mock mode: start the fault's story now rather than at the next poll; never delays the reply.
    void afterTicketOpenedMonita(core, ticket);
    const info = SERVICE_LINE_INFO[ticket.service as ServiceLine];
    const opened = t(result.relatedTo ? 'reply.openedLinked' : 'reply.opened', {
      ticket: ticket.number,
      related: result.relatedTo?.number ?? '',
    });
    const hint = t('reply.relatedHint', {
      products: info.relatedProducts.join(', '),
      apps: info.applications.join(', '),
    });
    // The opener handles the ticket: they get the full data, privately.
    return [{ ...ticketCard(viewer, ticket, { full: true, audience: 'ephemeral' }), text: `${opened}\n${hint}` }];
  },
});
