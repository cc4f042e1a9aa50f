/**
 * `saya` (DESIGN §8): what a person's queue holds and in which order, and the next step of each
 * line. Pure: the service (src/services/my-queue.ts) loads the facts and renders the lines.
 */
import { effectiveDueAt } from './sla.js';

/** What the queue reads of one of the caller's open tickets (no customer values). */
export interface QueueTicketFacts {
  id: number;
  status: string;
  slaDueAt: Date;
  pausedSince: Date | null;
  pauseReason: string | null;
  callbackAt: Date | null;
  lastInformedAt: Date | null;
  createdAt: Date;
  monitaStatus: string | null;
  /** A request for escalation of this ticket is waiting on someone. */
  pendingEscalation: boolean;
}

export type NextStep =
  | 'close'
  | 'callback'
  | 'telkom'
  | 'approval'
  | 'confirm'
  | 'inform'
  | 'escalate'
  | 'follow'
  | 'decide';

export type QueueSection = 'tickets' | 'callbacks';

export interface QueueReading {
  section: QueueSection;
  next: NextStep;
  /** SLA time left (negative once breached), frozen while the clock is paused. */
  msLeft: number;
  /** The clock runs (not paused, not confirmed): these come before the paused ones. */
  running: boolean;
}

/** MONITA says the fault is fixed: the customer's confirmation (P5.11) is the next step. */
const FIXED = new Set(['RESOLVED', 'CLOSED']);

export function readQueueTicket(t: QueueTicketFacts, now: Date, informEveryMinutes: number): QueueReading {
  const msLeft = effectiveDueAt(t.slaDueAt, t.pausedSince, now).getTime() - now.getTime();
  const running = t.status !== 'confirmed' && t.pausedSince === null;
  if (t.status === 'confirmed') return { section: 'tickets', next: 'close', msLeft, running };
  if (t.callbackAt) return { section: 'callbacks', next: 'callback', msLeft, running };
  const next: NextStep =
    t.pauseReason === 'telkom'
      ? 'telkom'
      : t.pendingEscalation
        ? 'approval'
        : t.monitaStatus && FIXED.has(t.monitaStatus)
          ? 'confirm'
          : now.getTime() - (t.lastInformedAt ?? t.createdAt).getTime() >= informEveryMinutes * 60_000
            ? 'inform'
            : msLeft <= 0
              ? 'escalate'
              : 'follow';
  return { section: 'tickets', next, msLeft, running };
}

/**
 * The order of the queue: own tickets with a running clock by SLA time left (breached first, as
 * their time left is below zero), then paused clocks by the time they keep, then the confirmed
 * ones waiting to be closed; callbacks by their time, the earliest (the due ones) first.
 */
export function queueOrder<T extends { facts: QueueTicketFacts; reading: QueueReading }>(rows: readonly T[]): T[] {
  const rank = (r: T) => (r.facts.status === 'confirmed' ? 2 : r.reading.running ? 0 : 1);
  return [...rows].sort((a, b) => {
    if (a.reading.section === 'callbacks' && b.reading.section === 'callbacks')
      return (a.facts.callbackAt?.getTime() ?? 0) - (b.facts.callbackAt?.getTime() ?? 0) || a.facts.id - b.facts.id;
    return rank(a) - rank(b) || a.reading.msLeft - b.reading.msLeft || a.facts.id - b.facts.id;
  });
}
