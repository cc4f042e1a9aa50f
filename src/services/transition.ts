import { and, eq } from 'drizzle-orm';
import type { Core } from '../app.js';
import type { Tx } from '../db/index.js';
import { escalations, tickets } from '../db/schema.js';
import type { EventType } from '../domain/events.js';
import { decide, type Move, type Outcome } from '../domain/ticket-state.js';
import { appendEvent } from './audit.js';
import { closeRequest } from './escalation-message.js';
import { deciders, touchQueues } from './my-queue.js';
import { type Ticket, threadReply } from './present.js';
import { postInThread, refreshCard } from './ticket-store.js';

type TicketRow = typeof tickets.$inferInsert;
/** Columns a change may set beside what the state machine decides (never status, level, closing or pause). */
export type ExtraColumns = Omit<
  Partial<TicketRow>,
  'id' | 'number' | 'status' | 'escalationLevel' | 'closedAt' | 'pausedSince' | 'pauseReason'
>;

export interface Change {
  move: Move;
  /** The audit event of the change itself. */
  event: { type: EventType; payload: Record<string, unknown> };
  /** Who did it: a user key, or `posko` for the system's own acts. */
  actor: string;
  set?: ExtraColumns;
  /** The card shows something the ticket row does not hold (a waiting escalation): refresh it anyway. */
  refreshCard?: boolean;
}

export interface Applied {
  ticket: Ticket;
  eventId: number;
  outcome: Outcome;
}

/**
 * Every change of a ticket's state goes through here, inside the caller's transaction (the ticket
 * row locked): the state machine decides, the row is updated, the audit event is written, a
 * pause of the SLA clock starts or ends (its own events; on resume the due time moves by the
 * paused time), a waiting escalation is cancelled where the move says so, and the card is
 * refreshed when something it shows changed.
 */
export async function applyChange(core: Core, tx: Tx, ticket: Ticket, change: Change, now: Date): Promise<Applied> {
  const outcome = decide(ticket, change.move);
  const set: Partial<TicketRow> = {
    ...change.set,
    status: outcome.status,
    escalationLevel: outcome.escalationLevel,
    updatedAt: now,
  };
  if (outcome.closed === 'set') set.closedAt = now;
  if (outcome.closed === 'clear') set.closedAt = null;

  const eventId = await appendEvent(tx, ticket.id, change.event.type, change.actor, now, change.event.payload);
  if (outcome.pause === 'resume' && ticket.pausedSince) {
    const pausedMs = Math.max(0, now.getTime() - ticket.pausedSince.getTime());
    set.pausedSince = null;
    set.pauseReason = null;
    set.slaDueAt = new Date((set.slaDueAt ?? ticket.slaDueAt).getTime() + pausedMs);
    await appendEvent(tx, ticket.id, 'sla_resumed', change.actor, now, {
      reason: ticket.pauseReason,
      pausedMinutes: Math.round(pausedMs / 60_000),
    });
  } else if (outcome.pause === 'customer' || outcome.pause === 'telkom') {
    if (ticket.pausedSince && ticket.pauseReason !== outcome.pause) {
      // One pause at a time: the new reason takes over from the same moment, so no time is counted twice.
      await appendEvent(tx, ticket.id, 'sla_resumed', change.actor, now, { reason: ticket.pauseReason });
    }
    if (ticket.pauseReason !== outcome.pause) {
      set.pausedSince = ticket.pausedSince ?? now;
      set.pauseReason = outcome.pause;
      await appendEvent(tx, ticket.id, 'sla_paused', change.actor, now, { reason: outcome.pause });
    }
  }

  const [updated] = await tx.update(tickets).set(set).where(eq(tickets.id, ticket.id)).returning();
  const after = updated ?? ticket;
  const cancelled = outcome.cancelWaitingEscalation && (await cancelWaiting(core, tx, after, change.actor, now));
  if (change.refreshCard || cancelled || cardChanged(ticket, after))
    await refreshCard(core, tx, ticket.id, `card-edit:${eventId}`, now, change.actor);
  // The queues this change touches (`saya`, App Home): the assignee before and after, and the
  // people who decide an escalation when one was asked for, decided, moved up or cancelled.
  const escalationMoved =
    change.move.kind === 'request_escalation' ||
    change.move.kind === 'decide_escalation' ||
    change.event.type === 'escalation_moved' ||
    cancelled;
  await touchQueues(
    tx,
    [ticket.assignee, after.assignee, ...(escalationMoved ? await deciders(tx, after.team) : [])],
    now,
  );
  return { ticket: after, eventId, outcome };
}

/** Confirmation and closing end a waiting escalation: said once in the thread, the request edited in place. */
async function cancelWaiting(core: Core, tx: Tx, ticket: Ticket, actor: string, now: Date): Promise<boolean> {
  const [cancelled] = await tx
    .update(escalations)
    .set({ status: 'cancelled', decidedAt: now, decidedBy: actor })
    .where(and(eq(escalations.ticketId, ticket.id), eq(escalations.status, 'pending')))
    .returning();
  if (!cancelled) return false;
  const eventId = await appendEvent(tx, ticket.id, 'escalation_cancelled', actor, now, {
    level: cancelled.level,
    escalationId: cancelled.id,
    status: ticket.status,
  });
  const level = core.t(`level.${cancelled.level}` as 'level.tl');
  const text = core.t(ticket.status === 'closed' ? 'thread.escalationCancelledClosed' : 'thread.escalationCancelled', {
    level,
  });
  await postInThread(tx, ticket, threadReply(core, ticket, text), `ev:${eventId}`, now, actor);
  await closeRequest(core, tx, ticket, cancelled, eventId, now, actor);
  return true;
}

const CARD_COLUMNS = [
  'status',
  'escalationLevel',
  'assignee',
  'pausedSince',
  'slaDueAt',
  'lastInformedAt',
  'repeatCount',
  'callbackAt',
  'telkomRef',
  'monitaStatus',
] as const;

function cardChanged(before: Ticket, after: Ticket): boolean {
  return CARD_COLUMNS.some((k) => {
    const a = before[k];
    const b = after[k];
    return a instanceof Date && b instanceof Date ? a.getTime() !== b.getTime() : a !== b;
  });
}
