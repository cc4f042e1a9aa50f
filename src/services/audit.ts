import { sql } from 'drizzle-orm';
import type { Tx } from '../db/index.js';
import { reusable } from '../db/reusable.js';
import { ticketEvents } from '../db/schema.js';
import type { EventType } from '../domain/events.js';

/** Nearly every change writes one event: that statement is built once (B1). */
const insertEvent = reusable((db) =>
  db
    .insert(ticketEvents)
    .values({
      ticketId: sql.placeholder('ticketId'),
      type: sql.placeholder('type'),
      actor: sql.placeholder('actor'),
      at: sql.placeholder('at'),
      payload: sql.placeholder('payload'),
    })
    .returning({ id: ticketEvents.id }),
);

/** Every state change writes one of these in its own transaction: actor, time and payload. */
export async function appendEvent(
  tx: Tx,
  ticketId: number,
  type: EventType,
  actor: string,
  at: Date,
  payload: Record<string, unknown> = {},
): Promise<number> {
  const [id] = await appendEvents(tx, [{ ticketId, type, actor, at, payload }]);
  if (id === undefined) throw new Error('event insert returned nothing');
  return id;
}

export interface NewEvent {
  ticketId: number;
  type: EventType;
  actor: string;
  at: Date;
  payload: Record<string, unknown>;
}

/** Several events in one statement (a job's page of changes); their ids in the order given. */
export async function appendEvents(tx: Tx, events: NewEvent[]): Promise<number[]> {
  if (events.length === 0) return [];
  const [only] = events;
  const rows =
    only && events.length === 1
      ? await insertEvent(tx, only)
      : await tx.insert(ticketEvents).values(events).returning({ id: ticketEvents.id });
  if (rows.length !== events.length) throw new Error('event insert returned too few rows');
  // One multi-row INSERT draws its ids from the sequence in row order.
  return rows.map((r) => r.id).sort((a, b) => a - b);
}
