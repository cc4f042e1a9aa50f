import { and, asc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { Core } from '../app.js';
import { blindIndex, blindIndexes } from '../crypto/blind-index.js';
import { activeKeyRing } from '../crypto/ring.js';
import type { Tx } from '../db/index.js';
import { escalations, ticketEvents, tickets } from '../db/schema.js';
import { DomainError } from '../domain/errors.js';
import { normaliseTicketNumber } from '../domain/ticket-number.js';
import { enqueue, type OutboxRow } from '../outbox/enqueue.js';
import type { Reply } from '../reply.js';
import { type Escalation, type Ticket, ticketCard } from './present.js';

type Reader = Pick<Tx, 'select'>;

/**
 * P5.3's "same customer on the same service line". The customer ID is sealed (a fresh IV each
 * time, so SQL cannot compare it): rows meet on the keyed blind index, under every key of the
 * ring so rows not yet rotated are found too.
 */
export function sameCustomer(service: string, customerId: string): SQL {
  return and(
    eq(tickets.service, service),
    inArray(tickets.customerIndex, customerIndexesOf(service, customerId)),
  ) as SQL;
}

/**
 * `sameCustomer` for a statement built once (src/db/reusable.ts): the condition with placeholders
 * for one key ring's number of blind indexes, filled by `sameCustomerValues`.
 */
export function sameCustomerSlots(indexes: number): SQL {
  const slots = Array.from({ length: indexes }, (_, i) => sql.placeholder(`customerIndex${i}`));
  return and(eq(tickets.service, sql.placeholder('service')), inArray(tickets.customerIndex, slots)) as SQL;
}

/** The values of `sameCustomerSlots` for this customer, and how many indexes they fill. */
export function sameCustomerValues(service: string, customerId: string) {
  const indexes = customerIndexesOf(service, customerId);
  const values: Record<string, string> = { service };
  indexes.forEach((index, i) => {
    values[`customerIndex${i}`] = index;
  });
  return { indexes: indexes.length, values };
}

/** Every blind index the customer's rows may carry: the current key's first. */
function customerIndexesOf(service: string, customerId: string): string[] {
  return blindIndexes(activeKeyRing(), service, customerId);
}

/** The blind index a new ticket is written with (the unique index of open tickets is on it). */
export function customerIndexOf(service: string, customerId: string): string {
  return blindIndex(activeKeyRing().current, service, customerId);
}

/** Loads a ticket by the number a person typed; `forUpdate` serialises changes to one ticket. */
export async function loadTicket(tx: Tx | Core['db'], raw: string, forUpdate = false): Promise<Ticket> {
  const number = normaliseTicketNumber(raw);
  if (!number) throw new DomainError('invalid_input', 'err.badTicket', { option: 'tiket', value: raw });
  const query = tx.select().from(tickets).where(eq(tickets.number, number));
  const [row] = forUpdate ? await query.for('update') : await query;
  if (!row) throw new DomainError('not_found', 'err.noTicket', { ticket: number });
  return row;
}

export async function pendingEscalation(tx: Reader, ticketId: number): Promise<Escalation | null> {
  const [row] = await tx
    .select()
    .from(escalations)
    .where(and(eq(escalations.ticketId, ticketId), eq(escalations.status, 'pending')));
  return row ?? null;
}

export async function eventsOf(tx: Reader, ticketId: number) {
  return tx
    .select({ type: ticketEvents.type, at: ticketEvents.at, payload: ticketEvents.payload, actor: ticketEvents.actor })
    .from(ticketEvents)
    .where(eq(ticketEvents.ticketId, ticketId))
    .orderBy(asc(ticketEvents.id));
}

/**
 * A message in the ticket's thread, queued with the change that caused it. `requestedBy`: the
 * person whose command it reports (told if it cannot be delivered); none for a job's message.
 */
export async function postInThread(
  tx: Tx,
  ticket: Ticket,
  reply: Reply,
  dedupeKey: string,
  at: Date,
  requestedBy?: string,
): Promise<void> {
  await enqueue(tx, threadPost(ticket, reply, dedupeKey, at, requestedBy));
}

/** The outbox row of a message in the ticket's thread (for callers that queue many at once). */
export function threadPost(ticket: Ticket, reply: Reply, dedupeKey: string, at: Date, requestedBy?: string): OutboxRow {
  return {
    dedupeKey,
    platform: ticket.platform,
    channel: ticket.channel,
    message: { kind: 'post', reply: { ...reply, audience: 'thread' }, threadOfTicket: ticket.id },
    at,
    requestedBy,
  };
}

/** Re-render the channel card in place after a status change (masked: the channel sees it). */
export async function refreshCard(
  core: Core,
  tx: Tx,
  ticketId: number,
  dedupeKey: string,
  at: Date,
  requestedBy?: string,
): Promise<void> {
  const [ticket] = await tx.select().from(tickets).where(eq(tickets.id, ticketId));
  if (!ticket) return;
  const pending = await pendingEscalation(tx, ticketId);
  const events = await eventsOf(tx, ticketId);
  await enqueue(tx, {
    dedupeKey,
    platform: ticket.platform,
    channel: ticket.channel,
    message: { kind: 'edit', reply: ticketCard(core, ticket, { pending, events }), target: { ticketCard: ticketId } },
    at,
    requestedBy,
  });
}
