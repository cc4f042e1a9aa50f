/**
 * The pause-aware SLA clock (A7): the SLA runs from opening, except while the ticket waits on the
 * customer (a requested callback; not reachable between attempts) or on Telkom. Pure: the caller
 * passes the opening time, the SLA and the pauses it recorded.
 *
 * API:
 * - `Pause`: `{ reason: 'customer' | 'telkom', start, end? }`; no `end` means paused now.
 * - `slaClock({ openedAt, slaHours, pauses }, now)` → `{ elapsedMs, pausedMs, share, dueAt,
 *   pausedBy, breached }`:
 *   - `elapsedMs`: running (unpaused) time from opening to `now`;
 *   - `pausedMs`: paused time so far, overlapping pauses counted once;
 *   - `share`: elapsed / SLA (0.75 → the warning, above 1 → breached);
 *   - `dueAt`: when the running time reaches the SLA — opening + SLA + the pauses before it; null
 *     while paused (unless the SLA was already breached before the pause began);
 *   - `pausedBy`: the reasons of the pauses open at `now` (empty while the clock runs);
 *   - `breached`: elapsed > SLA.
 * - `metSla(input, judgedAt)`: the SLA was met at the judging moment (confirmation, or closing on
 *   the no-contact paths): running time at `judgedAt` ≤ SLA.
 * - `pausedMs(pauses, from, until)`: the union of the pauses within [from, until].
 *
 * Pauses before opening or after `now` count only for the part inside [opening, now]; a pause
 * whose end is before its start counts as nothing.
 */

export type PauseReason = 'customer' | 'telkom';

export interface Pause {
  reason: PauseReason;
  start: Date;
  end?: Date | null;
}

export interface SlaClockInput {
  openedAt: Date;
  slaHours: number;
  pauses: readonly Pause[];
}

export interface SlaClockReading {
  elapsedMs: number;
  pausedMs: number;
  share: number;
  dueAt: Date | null;
  pausedBy: PauseReason[];
  breached: boolean;
}

interface Span {
  from: number;
  to: number;
  open: boolean;
}

/** The pauses clipped to [from, until] and merged so overlaps count once, in time order. */
function mergedPauses(pauses: readonly Pause[], from: number, until: number): Span[] {
  const spans = pauses
    .map((p) => {
      const end = p.end ? p.end.getTime() : Number.POSITIVE_INFINITY;
      return { from: Math.max(p.start.getTime(), from), to: Math.min(end, until), open: end > until };
    })
    // A pause open at `until` that starts exactly then is kept (zero length): the clock is paused.
    .filter((s) => s.to > s.from || (s.open && s.to === s.from))
    .sort((a, b) => a.from - b.from);
  const merged: Span[] = [];
  for (const s of spans) {
    const last = merged.at(-1);
    if (last && s.from <= last.to) {
      last.to = Math.max(last.to, s.to);
      last.open ||= s.open;
    } else merged.push({ ...s });
  }
  return merged;
}

export function pausedMs(pauses: readonly Pause[], from: Date, until: Date): number {
  return mergedPauses(pauses, from.getTime(), until.getTime()).reduce((sum, s) => sum + (s.to - s.from), 0);
}

export function slaClock(input: SlaClockInput, now: Date): SlaClockReading {
  const opened = input.openedAt.getTime();
  const at = Math.max(now.getTime(), opened);
  const slaMs = input.slaHours * 3_600_000;
  const spans = mergedPauses(input.pauses, opened, at);
  const paused = spans.reduce((sum, s) => sum + (s.to - s.from), 0);
  const elapsedMs = at - opened - paused;

  // The due time moves by each pause that began before it; a pause still open leaves it unknown.
  let due: number | null = opened + slaMs;
  for (const s of spans) {
    if (s.from >= due) break;
    if (s.open) {
      due = null;
      break;
    }
    due += s.to - s.from;
  }

  return {
    elapsedMs,
    pausedMs: paused,
    share: slaMs > 0 ? elapsedMs / slaMs : 1,
    dueAt: due === null ? null : new Date(due),
    pausedBy: openReasons(input.pauses, at),
    breached: elapsedMs > slaMs,
  };
}

/** A pause holds the clock from its start (inclusive) to its end (exclusive). */
function openReasons(pauses: readonly Pause[], at: number): PauseReason[] {
  const reasons = new Set<PauseReason>();
  for (const p of pauses) if (p.start.getTime() <= at && (!p.end || p.end.getTime() > at)) reasons.add(p.reason);
  return [...reasons].sort();
}

export function metSla(input: SlaClockInput, judgedAt: Date): boolean {
  return !slaClock(input, judgedAt).breached;
}
