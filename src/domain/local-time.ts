/**
 * Wall-clock maths in an IANA time zone, with Intl.DateTimeFormat only (no date library).
 *
 * API:
 * - `localParts(at, tz)` → `{ date: 'YYYY-MM-DD', msOfDay }`: the local calendar date and the time
 *   since local midnight of the instant `at`.
 * - `localToInstant(date, msOfDay, tz)` → the instant whose local wall clock reads `date` + `msOfDay`.
 * - `addDays(date, n)` → the calendar date `n` days after `date` (both 'YYYY-MM-DD').
 *
 * Indonesia has no daylight saving time, but the offset is read from the zone at each instant
 * anyway, so the same code stays right for any zone a test or a configuration uses.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(tz, f);
  }
  return f;
}

export interface LocalMoment {
  /** Local calendar date, 'YYYY-MM-DD'. */
  date: string;
  /** Milliseconds since local midnight. */
  msOfDay: number;
}

const DAY_MS = 86_400_000;

function wallClock(at: Date, tz: string) {
  const parts: Record<string, number> = {};
  for (const p of formatter(tz).formatToParts(at)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    ms: ((parts.hour ?? 0) * 60 + (parts.minute ?? 0)) * 60_000 + (parts.second ?? 0) * 1000 + at.getUTCMilliseconds(),
  };
}

export function localParts(at: Date, tz: string): LocalMoment {
  const w = wallClock(at, tz);
  return { date: isoDate(Date.UTC(w.year, w.month - 1, w.day)), msOfDay: w.ms };
}

/** Local minus UTC, in milliseconds, at the instant `epochMs`. */
function offsetAt(epochMs: number, tz: string): number {
  const w = wallClock(new Date(epochMs), tz);
  return Date.UTC(w.year, w.month - 1, w.day) + w.ms - epochMs;
}

export function localToInstant(date: string, msOfDay: number, tz: string): Date {
  const naive = dateEpoch(date) + msOfDay;
  // Two rounds settle the offset even next to an offset change (where the first guess is off).
  const first = naive - offsetAt(naive, tz);
  return new Date(naive - offsetAt(first, tz));
}

export function addDays(date: string, n: number): string {
  return isoDate(dateEpoch(date) + n * DAY_MS);
}

function dateEpoch(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1);
}

function isoDate(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}
