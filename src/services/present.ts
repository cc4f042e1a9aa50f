import type { Core } from '../app.js';
import type { escalations, tickets } from '../db/schema.js';
import { deriveChecklist } from '../domain/checklist.js';
import { ZONES, type ZoneName } from '../domain/customer-zone.js';
import type { EventFacts } from '../domain/events.js';
import { type KnownCustomer, maskCustomerId, maskName, maskPhone, maskText } from '../domain/mask.js';
import { SERVICE_LINE_INFO, type ServiceLine } from '../domain/service-lines.js';
import { CALL_OUTCOMES, CARD_STEPS, type CardStep, nextSteps } from '../domain/ticket-state.js';
import type { MessageKey } from '../i18n/index.js';
import type { Audience, FormSpec, Reply, ReplyButton, ReplyField, ReplyTime } from '../reply.js';

export type Ticket = typeof tickets.$inferSelect;
export type Escalation = typeof escalations.$inferSelect;
type Present = Pick<Core, 't' | 'config' | 'locale'>;

/** `<@userKey>` — adapters turn it into a native mention. */
export const mention = (userKey: string) => `<@${userKey}>`;

/** User-typed text can never ping a channel or a crowd, whatever the platform. */
export function neutralise(text: string): string {
  return text
    .replace(/<([!@#])/g, '‹$1')
    .replace(/@(everyone|here|channel)\b/gi, '@\u200b$1')
    .trim();
}

/**
 * Free text for a channel: no mentions, no phone numbers, IDs or e-mail addresses, and none of the
 * ticket's own customer values (`known`: the ticket in hand; null only where there is none).
 */
export const publicText = (text: string, known: KnownCustomer | null) => maskText(neutralise(text), known ?? {});

// Building an Intl.DateTimeFormat costs far more than formatting with one (a profile of B1 put it
// at 5 % of posko's CPU under load), so there is one per locale and time zone.
const timeFormats = new Map<string, Intl.DateTimeFormat>();

function cachedFormat(locale: string, timeZone: string, withZoneName: boolean): Intl.DateTimeFormat {
  const key = `${locale} ${timeZone} ${withZoneName}`;
  let format = timeFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, {
      timeZone,
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
      ...(withZoneName ? { timeZoneName: 'short' } : {}),
    });
    timeFormats.set(key, format);
  }
  return format;
}

const localeTag = (core: Present) => (core.locale === 'en' ? 'en-GB' : 'id-ID');

export function formatTime(core: Present, at: Date): string {
  return cachedFormat(localeTag(core), core.config.POSKO_TIMEZONE, true).format(at);
}

/** A time as the customer's clock shows it, with the zone's name: "3 Des 14.00 WITA". */
export function formatTimeIn(core: Present, at: Date, zone: string): string {
  const known = ZONES[zone as ZoneName];
  const timeZone = known?.tz ?? core.config.POSKO_TIMEZONE;
  return `${cachedFormat(localeTag(core), timeZone, false).format(at)} ${known ? zone : ''}`.trim();
}

/** The customer's zone of a ticket: the one recorded, else WIB (where most of Indonesia is). */
const zoneName = (ticket: Pick<Ticket, 'customerZone'>) => ticket.customerZone ?? 'WIB';

/** A time of a ticket as a token the renderers format natively, its fallback in the customer's zone. */
export function ticketTime(core: Present, ticket: Pick<Ticket, 'customerZone'>, at: Date): ReplyTime {
  return { unix: Math.floor(at.getTime() / 1000), text: formatTimeIn(core, at, zoneName(ticket)) };
}

export const statusLabel = (core: Present, status: string) => core.t(`status.${status}` as MessageKey);
export const serviceLabel = (core: Present, service: string) => core.t(`service.${service}` as MessageKey);

export interface CardOptions {
  /** Unmasked customer data: only for the people handling the ticket, ephemerally. */
  full?: boolean;
  audience?: Audience;
  pending?: Escalation | null;
  events?: readonly (EventFacts & { actor: string })[];
}

export function ticketCard(core: Present, ticket: Ticket, opts: CardOptions = {}): Reply {
  const { t } = core;
  const full = opts.full === true;
  const info = SERVICE_LINE_INFO[ticket.service as ServiceLine];
  const status = statusLabel(core, ticket.status);
  const dueAt = ticketTime(core, ticket, ticket.slaDueAt);
  const due = dueAt.text;
  const fields: ReplyField[] = [
    { label: t('field.service'), value: `${serviceLabel(core, ticket.service)} (${info.clause})` },
    {
      label: t('field.status'),
      value: ticket.escalationLevel ? `${status} · ${t(`level.${ticket.escalationLevel}` as MessageKey)}` : status,
    },
    { label: t('field.customer'), value: full ? ticket.customerName : maskName(ticket.customerName) },
    { label: t('field.customerId'), value: full ? ticket.customerId : maskCustomerId(ticket.customerId) },
    { label: t('field.contact'), value: full ? ticket.contact : maskPhone(ticket.contact) },
    { label: t('field.complaint'), value: full ? neutralise(ticket.complaint) : publicText(ticket.complaint, ticket) },
    { label: t('field.assignee'), value: mention(ticket.assignee) },
    { label: t('field.team'), value: `${ticket.team} · ${ticket.queue}` },
    {
      label: t('field.sla'),
      value: ticket.pausedSince ? `${due} · ${t(`card.paused.${ticket.pauseReason}` as MessageKey)}` : due,
      times: [dueAt],
    },
  ];
  if (ticket.callbackAt) {
    const at = ticketTime(core, ticket, ticket.callbackAt);
    fields.push({ label: t('field.callback'), value: at.text, times: [at] });
  }
  if (ticket.lastInformedAt) {
    const at = ticketTime(core, ticket, ticket.lastInformedAt);
    fields.push({ label: t('field.lastInformed'), value: at.text, times: [at] });
  }
  if (ticket.sourceLink) fields.push({ label: t('field.source'), value: ticket.sourceLink });
  if (ticket.failedAttempts > 0) fields.push({ label: t('field.attempts'), value: String(ticket.failedAttempts) });
  if (ticket.telkomRef) fields.push({ label: t('field.telkomRef'), value: ticket.telkomRef });
  if (ticket.monitaId)
    fields.push({
      label: 'MONITA',
      value: ticket.monitaStatus ? `${ticket.monitaId} · ${ticket.monitaStatus}` : ticket.monitaId,
    });
  if (ticket.repeatCount > 0) fields.push({ label: t('field.repeats'), value: String(ticket.repeatCount) });
  if (opts.pending)
    fields.push({
      label: t('field.pending'),
      value: t('card.pending', {
        level: t(`level.${opts.pending.level}` as MessageKey),
        who: mention(opts.pending.requestedBy),
      }),
    });
  fields.push({ label: t('field.related'), value: info.relatedProducts.join(', ') });
  fields.push({ label: t('field.apps'), value: info.applications.join(', ') });

  const reply: Reply = {
    audience: opts.audience ?? 'channel',
    ticket: ticket.number,
    error: null,
    title: `${ticket.number} · ${serviceLabel(core, ticket.service)}`,
    text: t('card.fallback', {
      ticket: ticket.number,
      service: serviceLabel(core, ticket.service),
      status,
      assignee: mention(ticket.assignee),
      due,
    }),
    fields,
    mentions: [],
  };
  // The card in the channel carries the next steps; who may take one is checked when clicked.
  if (reply.audience === 'channel') {
    const buttons = nextSteps(ticket).map((step) => cardButton(core, ticket.number, step));
    if (buttons.length) reply.buttons = buttons;
  }
  if (opts.events) {
    reply.checklist = deriveChecklist(opts.events).map(({ key, ...line }) => ({
      ...line,
      label: t(key as MessageKey),
    }));
    reply.history = opts.events.map((e) => historyLine(core, e, full, ticket));
  }
  return reply;
}

/**
 * The form a card step's button opens, rebuilt from the button's command line
 * (`hubungi GGN-000042`): for an adapter whose buttons cannot carry their form (a Discord
 * custom_id holds 100 characters), so a click after a restart opens the same form as before.
 */
export function cardStepForm(core: Present, commandLine: string): FormSpec | undefined {
  const [name, number] = commandLine.trim().split(/\s+/);
  if (!name || !number) return undefined;
  return CARD_STEPS.map((step) => cardButton(core, number, step)).find(
    (button) => button.form && button.command.split(' ')[0] === name.toLowerCase(),
  )?.form;
}

/** One next step as a button running the same command line as the slash command, as the clicker. */
function cardButton(core: Present, number: string, step: CardStep): ReplyButton {
  const { t } = core;
  const teks = (required: boolean) => ({ name: 'teks', label: t('opt.teks'), kind: 'long_text' as const, required });
  switch (step) {
    case 'take_over':
      return { actionId: 'ticket.take', label: t('button.take'), command: `ambil ${number}` };
    case 'call':
      return {
        actionId: 'ticket.call',
        label: t('button.call'),
        command: `hubungi ${number}`,
        form: {
          command: 'hubungi',
          title: t('form.call.title', { ticket: number }),
          context: number,
          fields: [
            {
              name: 'hasil',
              label: t('form.field.outcome'),
              kind: 'choice',
              required: true,
              choices: CALL_OUTCOMES.map((o) => ({ value: o, label: t(`call.${o}` as MessageKey) })),
            },
            { name: 'jam', label: t('form.field.callbackAt'), kind: 'text', required: false },
            teks(false),
          ],
        },
      };
    case 'inform':
      return {
        actionId: 'ticket.inform',
        label: t('button.inform'),
        command: `kabari ${number}`,
        form: {
          command: 'kabari',
          title: t('form.inform.title', { ticket: number }),
          context: number,
          fields: [teks(true)],
        },
      };
    case 'confirm':
      return {
        actionId: 'ticket.confirm',
        label: t('button.confirm'),
        command: `konfirmasi ${number}`,
        form: {
          command: 'konfirmasi',
          title: t('form.confirm.title', { ticket: number }),
          context: number,
          fields: [
            {
              name: 'hasil',
              label: t('form.field.result'),
              kind: 'choice',
              required: true,
              choices: (['ok', 'gagal'] as const).map((r) => ({ value: r, label: t(`choice.${r}`) })),
            },
            teks(false),
          ],
        },
      };
    case 'close':
      return {
        actionId: 'ticket.close',
        label: t('button.close'),
        command: `tutup ${number} tawaran=ya`,
        style: 'primary',
      };
  }
}

/** A payload word shown through its catalogue entry (`call.sibuk`, `pause.telkom`), or nothing. */
const catalogueWord = (core: Present, prefix: 'call' | 'pause', word: unknown) =>
  typeof word === 'string' ? core.t(`${prefix}.${word}` as MessageKey) : '';

export function historyLine(
  core: Present,
  e: EventFacts & { actor: string },
  full: boolean,
  known: KnownCustomer | null,
): string {
  const p = e.payload;
  const text = typeof p.text === 'string' ? (full ? neutralise(p.text) : publicText(p.text, known)) : '';
  const detail = core.t(`history.${e.type}` as MessageKey, {
    text,
    level: typeof p.level === 'string' ? core.t(`level.${p.level}` as MessageKey) : '',
    result: typeof p.result === 'string' ? p.result : catalogueWord(core, 'call', p.outcome),
    stage: typeof p.stage === 'string' ? p.stage : '',
    status: typeof p.status === 'string' ? p.status : catalogueWord(core, 'pause', p.reason),
    code: typeof p.code === 'string' ? p.code : '-',
    count: typeof p.count === 'number' ? p.count : '',
  });
  return `${formatTime(core, e.at)} · ${e.actor.startsWith('posko') ? 'posko' : mention(e.actor)} · ${detail}`;
}

export function threadReply(_core: Present, ticket: Ticket, text: string, extra: Partial<Reply> = {}): Reply {
  return {
    audience: 'thread',
    ticket: ticket.number,
    error: null,
    text: `${ticket.number} · ${text}`,
    mentions: [],
    ...extra,
  };
}

export function ephemeral(ticket: string | null, text: string, extra: Partial<Reply> = {}): Reply {
  return { audience: 'ephemeral', ticket, error: null, text, ...extra };
}

/** A span of time, "3 j 20 mnt" / "3 h 20 min", short enough for a phone; the sign is the caller's to say. */
export function durationLabel(core: Pick<Core, 't'>, ms: number): string {
  const total = Math.round(Math.abs(ms) / 60_000);
  const h = Math.floor(total / 60);
  const m = total % 60;
  return h > 0 ? core.t('time.hoursMinutes', { h, m }) : core.t('time.minutes', { m });
}
