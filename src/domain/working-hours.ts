import type { Holidays } from './holidays.js';
import { addDays, localParts, localToInstant } from './local-time.js';

/**
 * Working hours: when an agent may call a customer, in the customer's local time. Every day is a
 * working day except the dates on the holiday list (a contact center runs seven days a week).
 *
 * API:
 * - `parseWorkingHours(spec)` → `{ startMinute, endMinute }` from POSKO_WORKING_HOURS (`08-21`,
 *   `8-21`, `08.00-21.00`, `08:30-17:00`; end may be `24`); a bad spec throws an Error whose
 *   message is one line (without the variable name, which config adds).
 * - `formatWorkingHours(hours)` → `08.00–21.00`.
 * - `isWorkingMoment(at, zone, hours, holidays)`: `at` is on a non-holiday local date and its
 *   local time is in [start, end).
 * - `nextWorkingMoment(at, zone, hours, holidays)` → `at` itself when it is a working moment, else
 *   the start of the next working window (23.00 WITA → 08.00 WITA the next working day).
 */

export interface WorkingHours {
  /** Minutes after local midnight when calling starts (inclusive). */
  startMinute: number;
  /** Minutes after local midnight when calling stops (exclusive); at most 24 × 60. */
  endMinute: number;
}

export const DEFAULT_WORKING_HOURS: WorkingHours = { startMinute: 8 * 60, endMinute: 21 * 60 };

const SPEC = /^(\d{1,2})(?:[.:](\d{2}))?\s*[-–]\s*(\d{1,2})(?:[.:](\d{2}))?$/;

export function parseWorkingHours(spec: string): WorkingHours {
  const m = SPEC.exec(spec.trim());
  const minuteOf = (h?: string, min?: string) => {
    const hour = Number(h);
    const minute = Number(min ?? 0);
    return hour <= 24 && minute <= 59 && !(hour === 24 && minute > 0) ? hour * 60 + minute : Number.NaN;
  };
  const startMinute = minuteOf(m?.[1], m?.[2]);
  const endMinute = minuteOf(m?.[3], m?.[4]);
  if (!m || !(startMinute < endMinute) || startMinute >= 24 * 60)
    throw new Error(
      'expected <start>-<end> in local time such as 08-21 or 08.00-21.00, start before end, within 00–24',
    );
  return { startMinute, endMinute };
}

export function formatWorkingHours(hours: WorkingHours): string {
  const hhmm = (minutes: number) =>
    `${String(Math.floor(minutes / 60)).padStart(2, '0')}.${String(minutes % 60).padStart(2, '0')}`;
  return `${hhmm(hours.startMinute)}–${hhmm(hours.endMinute)}`;
}

export function isWorkingMoment(at: Date, zone: { tz: string }, hours: WorkingHours, holidays: Holidays): boolean {
  const { date, msOfDay } = localParts(at, zone.tz);
  return !holidays.has(date) && msOfDay >= hours.startMinute * 60_000 && msOfDay < hours.endMinute * 60_000;
}

/** More consecutive holidays than this means a broken list, not a calendar. */
const MAX_DAYS_AHEAD = 400;

export function nextWorkingMoment(at: Date, zone: { tz: string }, hours: WorkingHours, holidays: Holidays): Date {
  const { date, msOfDay } = localParts(at, zone.tz);
  const start = hours.startMinute * 60_000;
  if (!holidays.has(date)) {
    if (msOfDay < start) return localToInstant(date, start, zone.tz);
    if (msOfDay < hours.endMinute * 60_000) return at;
  }
  for (let n = 1; n <= MAX_DAYS_AHEAD; n++) {
    const day = addDays(date, n);
    if (!holidays.has(day)) return localToInstant(day, start, zone.tz);
  }
  throw new Error(`no working day within ${MAX_DAYS_AHEAD} days of ${date}: is every date a holiday?`);
}
