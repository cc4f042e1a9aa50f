import { and, desc, eq, ne, sql } from 'drizzle-orm';
import type { Core } from '../app.js';
import type { Tx } from '../db/index.js';
import { reusable, reusableByCount } from '../db/reusable.js';
import { sourceMessages, tickets } from '../db/schema.js';
import { areaZone, ZONES, type ZoneName, zoneOf } from '../domain/customer-zone.js';
import { allInvalid, DomainError, invalid } from '../domain/errors.js';
import { maskPhone } from '../domain/mask.js';
import { normaliseIndonesianPhone } from '../domain/phone.js';
import type { Actor } from '../domain/roles.js';
import {
  isQueue,
  isServiceLine,
  normaliseCustomerId,
  type Queue,
  SERVICE_LINE_INFO,
  SERVICE_LINES,
  type ServiceLine,
} from '../domain/service-lines.js';
import { slaDueAt } from '../domain/sla.js';
import type { SourceMessage } from '../domain/source-message.js';
import { enqueueAll } from '../outbox/enqueue.js';
import { appendEvent } from './audit.js';
import { queueRefreshes } from './my-queue.js';
import { mention, publicText, serviceLabel, type Ticket, threadReply, ticketCard } from './present.js';
import { customerIndexOf, postInThread, sameCustomerSlots, sameCustomerValues } from './ticket-store.js';
import { applyChange } from './transition.js';
import { transaction } from './tx.js';

export interface OpenInput {
  layanan?: string;
  id?: string;
  nama?: string;
  kontak?: string;
  keluhan?: string;
  monita?: string;
  baru?: boolean;
  /** WIB, WITA or WIT when the number's area does not tell (mobiles) or tells wrong. */
  zona?: string;
}

export interface Where {
  platform: string;
  channel: string;
  /** The chat message the ticket is made from: at most one ticket per message. */
  source?: SourceMessage;
}

export interface OpenResult {
  ticket: Ticket;
  /** P5.3: the customer already had this ticket open; a repeat contact was recorded on it. */
  repeat: boolean;
  /** The caller's number differs from the one on file (E.164): offered to the agent as an update. */
  otherContact: string | null;
  relatedTo: Ticket | null;
  /** The source message had already made (or been recorded on) this ticket: nothing was changed. */
  fromMessageBefore?: boolean;
}

interface ValidIntake {
  service: ServiceLine;
  customerId: string;
  customerName: string;
  contact: string;
  complaint: string;
  monitaId: string | null;
  zone: ZoneName | null;
}

/** P5.2: name, customer ID and a valid Indonesian contact number; every missing or bad one, each naming its option. */
export function intakeErrors(input: OpenInput): DomainError[] {
  return checkIntake(input).errors;
}

/** P5.2: the intake, or one refusal naming every missing or invalid option at once. */
export function validateIntake(input: OpenInput): ValidIntake {
  const { intake, errors } = checkIntake(input);
  const refusal = allInvalid(errors);
  if (refusal || !intake) throw refusal ?? invalid('err.required', { option: 'layanan' });
  return intake;
}

function checkIntake(input: OpenInput): { intake?: ValidIntake; errors: DomainError[] } {
  const errors: DomainError[] = [];
  const service = input.layanan?.trim().toLowerCase() ?? '';
  if (!service) errors.push(invalid('err.required', { option: 'layanan' }));
  else if (!isServiceLine(service))
    errors.push(
      invalid('err.badService', { option: 'layanan', value: service.slice(0, 20), allowed: SERVICE_LINES.join(', ') }),
    );
  let customerId: string | null = null;
  if (!input.id?.trim()) errors.push(invalid('err.required', { option: 'id' }));
  else if (isServiceLine(service)) {
    customerId = normaliseCustomerId(service, input.id);
    if (!customerId)
      errors.push(
        invalid('err.badCustomerId', { option: 'id', service, example: SERVICE_LINE_INFO[service].customerIdExample }),
      );
  }
  const customerName = input.nama?.trim().replace(/\s+/g, ' ') ?? '';
  if (!customerName) errors.push(invalid('err.required', { option: 'nama' }));
  else if (!/^[\p{L}][\p{L} .'’-]{1,99}$/u.test(customerName)) errors.push(invalid('err.badName', { option: 'nama' }));
  const contact = input.kontak?.trim() ? normaliseIndonesianPhone(input.kontak) : null;
  if (!input.kontak?.trim()) errors.push(invalid('err.required', { option: 'kontak' }));
  else if (!contact)
    errors.push(invalid('err.badPhone', { option: 'kontak', value: input.kontak.trim().slice(0, 20) }));
  const complaint = input.keluhan?.trim() ?? '';
  if (!complaint) errors.push(invalid('err.required', { option: 'keluhan' }));
  else if (complaint.length > 1000) errors.push(invalid('err.tooLong', { option: 'keluhan', max: 1000 }));
  let monitaId: string | null = null;
  if (input.monita !== undefined) {
    monitaId = input.monita.trim().toUpperCase();
    if (!/^IN\d{4,15}$/.test(monitaId))
      errors.push(invalid('err.badMonita', { option: 'monita', value: input.monita.slice(0, 20) }));
  }
  let zone: ZoneName | null = null;
  try {
    zone = input.zona ? zoneOf(null, input.zona, ZONES.WIB).name : contact ? (areaZone(contact)?.name ?? null) : null;
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    errors.push(err);
  }
  if (errors.length > 0 || !customerId || !contact || !isServiceLine(service)) return { errors };
  return { intake: { service, customerId, customerName, contact, complaint, monitaId, zone }, errors };
}

/**
 * P5.3: the customer's open ticket for this service line, primary or linked (`baru=ya`): the
 * primary first, else the newest linked one — a primary closed before its linked ticket must not
 * let a repeat slip into a new ticket. One statement per number of blind indexes (key rotation).
 */
const openForCustomerBy = reusableByCount((db, indexes) =>
  db
    .select()
    .from(tickets)
    .where(and(sameCustomerSlots(indexes), ne(tickets.status, 'closed')))
    .orderBy(sql`${tickets.relatedTo} IS NOT NULL`, desc(tickets.id))
    .limit(1)
    .for('update'),
);

const openForCustomer = (tx: Tx, service: string, customerId: string) => {
  const { indexes, values } = sameCustomerValues(service, customerId);
  return openForCustomerBy(tx, indexes, values);
};

/** Opened in one statement built once (B1): every value is a placeholder, the shape never changes. */
const insertTicket = reusable((db) =>
  db
    .insert(tickets)
    .values({
      service: sql.placeholder('service'),
      queue: sql.placeholder('queue'),
      team: sql.placeholder('team'),
      customerId: sql.placeholder('customerId'),
      customerIndex: sql.placeholder('customerIndex'),
      customerName: sql.placeholder('customerName'),
      contact: sql.placeholder('contact'),
      complaint: sql.placeholder('complaint'),
      assignee: sql.placeholder('assignee'),
      openedBy: sql.placeholder('openedBy'),
      platform: sql.placeholder('platform'),
      channel: sql.placeholder('channel'),
      monitaId: sql.placeholder('monitaId'),
      customerZone: sql.placeholder('customerZone'),
      relatedTo: sql.placeholder('relatedTo'),
      sourceLink: sql.placeholder('sourceLink'),
      slaDueAt: sql.placeholder('slaDueAt'),
      createdAt: sql.placeholder('createdAt'),
      updatedAt: sql.placeholder('updatedAt'),
    })
    // Another agent opened it a moment ago: the database, not a prior check, decides.
    .onConflictDoNothing({
      target: tickets.customerIndex,
      where: sql`status <> 'closed' AND related_to IS NULL`,
    })
    .returning(),
);

/** P5.2–P5.5: open a ticket, or record a repeat contact on the customer's open one (race-free). */
export async function openTicket(core: Core, actor: Actor, where: Where, input: OpenInput): Promise<OpenResult> {
  const intake = validateIntake(input);
  if (!actor.role) throw new DomainError('forbidden', 'err.notOnRoster');
  const queue = isQueue(actor.queue) ? actor.queue : 'reguler';
  const now = core.clock();

  return transaction(core, async (tx) => {
    const source = where.source;
    if (source) {
      // Claim the message first: a concurrent submit of the same message waits here on the unique
      // index until this one commits, then finds the ticket it made.
      const claimed = await tx
        .insert(sourceMessages)
        .values({
          platform: source.platform,
          channel: source.channel,
          message: source.message,
          link: source.link,
          createdBy: actor.userKey,
          createdAt: now,
        })
        .onConflictDoNothing()
        .returning({ id: sourceMessages.id });
      if (claimed.length === 0) {
        const before = await ticketFromMessage(tx, source);
        if (!before) throw new DomainError('unavailable', 'err.retry');
        return { ticket: before, repeat: false, relatedTo: null, otherContact: null, fromMessageBefore: true };
      }
    }
    const made = await openOrRepeat(core, tx, actor, intake, { ...where, queue }, input.baru === true, now);
    if (source)
      await tx
        .update(sourceMessages)
        .set({ ticketId: made.ticket.id })
        .where(
          and(
            eq(sourceMessages.platform, source.platform),
            eq(sourceMessages.channel, source.channel),
            eq(sourceMessages.message, source.message),
          ),
        );
    return made;
  });
}

/** The ticket a chat message already made (or was recorded on as a repeat contact), if any. */
export async function ticketFromMessage(
  tx: Tx | Core['db'],
  source: Pick<SourceMessage, 'platform' | 'channel' | 'message'>,
): Promise<Ticket | undefined> {
  const [row] = await tx
    .select({ ticket: tickets })
    .from(sourceMessages)
    .innerJoin(tickets, eq(tickets.id, sourceMessages.ticketId))
    .where(
      and(
        eq(sourceMessages.platform, source.platform),
        eq(sourceMessages.channel, source.channel),
        eq(sourceMessages.message, source.message),
      ),
    )
    .limit(1);
  return row?.ticket;
}

async function openOrRepeat(
  core: Core,
  tx: Tx,
  actor: Actor,
  intake: ValidIntake,
  where: Where & { queue: Queue },
  baru: boolean,
  now: Date,
): Promise<OpenResult> {
  const { queue } = where;
  {
    const [existing] = await openForCustomer(tx, intake.service, intake.customerId);
    if (existing && !baru) return repeatOn(core, tx, existing, actor, intake, now);

    const [inserted] = await insertTicket(tx, {
      service: intake.service,
      queue,
      team: actor.team || 'a',
      customerId: intake.customerId,
      customerIndex: customerIndexOf(intake.service, intake.customerId),
      customerName: intake.customerName,
      contact: intake.contact,
      complaint: intake.complaint,
      assignee: actor.userKey,
      openedBy: actor.userKey,
      platform: where.platform,
      channel: where.channel,
      monitaId: intake.monitaId,
      customerZone: intake.zone,
      relatedTo: existing?.id ?? null,
      sourceLink: where.source?.link ?? null,
      slaDueAt: slaDueAt(core.sla, intake.service, queue, now),
      createdAt: now,
      updatedAt: now,
    });

    if (!inserted) {
      const [winner] = await openForCustomer(tx, intake.service, intake.customerId);
      if (!winner) throw new DomainError('unavailable', 'err.retry');
      return repeatOn(core, tx, winner, actor, intake, now);
    }

    const info = SERVICE_LINE_INFO[intake.service];
    await appendEvent(tx, inserted.id, 'opened', actor.userKey, now, {
      service: intake.service,
      queue,
      relatedTo: existing?.number ?? null,
      relatedProducts: info.relatedProducts,
      applications: info.applications,
      monitaId: intake.monitaId,
    });
    // The card and the assignee's queue refresh in one statement: a round trip less per ticket (B1).
    await enqueueAll(tx, [
      {
        dedupeKey: `card:${inserted.id}`,
        platform: where.platform,
        channel: where.channel,
        message: {
          kind: 'post',
          reply: ticketCard(core, inserted, {
            events: [{ type: 'opened', at: now, payload: {}, actor: actor.userKey }],
          }),
          track: { ticketCard: inserted.id },
        },
        at: now,
        requestedBy: actor.userKey,
      },
      ...queueRefreshes([inserted.assignee], now),
    ]);
    if (existing)
      await postInThread(
        tx,
        existing,
        threadReply(core, existing, core.t('thread.linkedNew', { ticket: inserted.number })),
        `linked:${inserted.id}`,
        now,
        actor.userKey,
      );
    return { ticket: inserted, repeat: false, relatedTo: existing ?? null, otherContact: null };
  }
}

/** A repeat contact on the open ticket: counted, audited, said in the thread (a differing number too, masked). */
async function repeatOn(
  core: Core,
  tx: Tx,
  ticket: Ticket,
  actor: Actor,
  intake: ValidIntake,
  now: Date,
): Promise<OpenResult> {
  const otherContact = intake.contact !== ticket.contact ? intake.contact : null;
  const { ticket: row, eventId } = await applyChange(
    core,
    tx,
    ticket,
    {
      move: { kind: 'repeat_contact' },
      event: {
        type: 'repeat_contact',
        payload: { count: ticket.repeatCount + 1, text: intake.complaint, otherContact: otherContact !== null },
      },
      actor: actor.userKey,
      set: { repeatCount: ticket.repeatCount + 1 },
    },
    now,
  );
  const lines = [
    core.t('thread.repeat', {
      who: mention(actor.userKey),
      count: row.repeatCount,
      text: publicText(intake.complaint, row),
      service: serviceLabel(core, row.service),
    }),
  ];
  if (otherContact) lines.push(core.t('thread.otherContact', { contact: maskPhone(otherContact) }));
  await postInThread(tx, row, threadReply(core, row, lines.join('\n')), `ev:${eventId}`, now, actor.userKey);
  return { ticket: row, repeat: true, relatedTo: null, otherContact };
}
