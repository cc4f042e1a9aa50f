import type { Tx } from '../db/index.js';
import { ticketEvents } from '../db/schema.js';
import type { EventType } from '../domain/events.js';

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
  const rows = await tx.insert(ticketEvents).values(events).returning({ id: ticketEvents.id });
  if (rows.length !== events.length) throw new Error('event insert returned too few rows');
  // One multi-row INSERT draws its ids from the sequence in row order.
  return rows.map((r) => r.id).sort((a, b) => a - b);
}
