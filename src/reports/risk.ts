/**
 * Which running tickets need someone now, and in what order: pure, so the digest's list is
 * tested without a database. A paused clock does not run, so its time left is frozen where the
 * pause began (the due time moves on with the pause: src/domain/sla.ts `effectiveDueAt`).
 */
import { effectiveDueAt } from '../domain/sla.js';

export type RiskKind = 'breached' | 'low' | 'approval' | 'uninformed';

/** What the ranking reads of a running ticket (no customer columns). */
export interface RiskFacts {
  slaDueAt: Date;
  pausedSince: Date | null;
  lastInformedAt: Date | null;
  createdAt: Date;
  /** The SLA's length for the ticket's service line and queue. */
  slaHours: number;
  pendingEscalation: boolean;
}

export interface RiskReading {
  /** Negative once breached; frozen while paused. */
  msLeft: number;
  /** Share of the SLA window still left (0.25 = a quarter). */
  shareLeft: number;
  kinds: RiskKind[];
}

/** Below this share of the SLA left a ticket is at risk (the sla-watch warning fires at 75 % used). */
export const LOW_SHARE_LEFT = 0.25;

export function readRisk(t: RiskFacts, now: Date, informEveryMinutes: number): RiskReading {
  const msLeft = effectiveDueAt(t.slaDueAt, t.pausedSince, now).getTime() - now.getTime();
  const windowMs = Math.max(1, t.slaHours * 3_600_000);
  const shareLeft = msLeft / windowMs;
  const kinds: RiskKind[] = [];
  if (msLeft <= 0) kinds.push('breached');
  else if (shareLeft < LOW_SHARE_LEFT) kinds.push('low');
  if (t.pendingEscalation) kinds.push('approval');
  // Same rule as the digest's count: a paused ticket waits on someone else, so it is not "silent".
  const quietSince = (t.lastInformedAt ?? t.createdAt).getTime();
  if (!t.pausedSince && now.getTime() - quietSince >= informEveryMinutes * 60_000) kinds.push('uninformed');
  return { msLeft, shareLeft, kinds };
}

/** Most urgent first: least SLA time left; ties by the order given (ticket id). */
export function byUrgency<T extends { reading: RiskReading }>(rows: readonly T[]): T[] {
  return [...rows].sort((a, b) => a.reading.msLeft - b.reading.msLeft);
}
