import { eq } from 'drizzle-orm';
import type { Core } from '../app.js';
import type { Tx } from '../db/index.js';
import { ticketAlerts, tickets } from '../db/schema.js';
import type { EventType } from '../domain/events.js';
import type { ReplyTime } from '../reply.js';
import { appendEvent } from '../services/audit.js';
import { type Ticket, threadReply } from '../services/present.js';
import { postInThread } from '../services/ticket-store.js';

/**
 * Locks the ticket as every command does and returns it as it is now, or null when its SLA clock no
 * longer runs: a ticket confirmed or closed since the job read it gets no alert or reminder.
 */
export async function lockRunning(tx: Tx, ticketId: number): Promise<Ticket | null> {
  const [fresh] = await tx.select().from(tickets).where(eq(tickets.id, ticketId)).for('update');
  return fresh && (fresh.status === 'open' || fresh.status === 'escalated') ? fresh : null;
}

/** Inserts the (ticket, kind) alert row; false when someone already did (a rerun, another instance). */
export async function claimAlert(tx: Tx, ticketId: number, kind: string, at: Date): Promise<boolean> {
  const rows = await tx.insert(ticketAlerts).values({ ticketId, kind, at }).onConflictDoNothing().returning();
  return rows.length === 1;
}

export interface Announcement {
  type: EventType;
  payload: Record<string, unknown>;
  text: string;
  mentions: string[];
  /** Times in `text` the platforms show natively (the SLA deadline, the last update). */
  times?: ReplyTime[];
}

/** A job's word about a ticket: its audit event and its thread message, in the caller's transaction. */
export async function announce(core: Core, tx: Tx, ticket: Ticket, a: Announcement, now: Date): Promise<number> {
  const eventId = await appendEvent(tx, ticket.id, a.type, 'posko', now, a.payload);
  const reply = threadReply(core, ticket, a.text, { mentions: a.mentions, ...(a.times ? { times: a.times } : {}) });
  await postInThread(tx, ticket, reply, `ev:${eventId}`, now);
  return eventId;
}
