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
  const [row] = await tx
    .insert(ticketEvents)
    .values({ ticketId, type, actor, at, payload })
    .returning({ id: ticketEvents.id });
  if (!row) throw new Error('event insert returned nothing');
  return row.id;
}
