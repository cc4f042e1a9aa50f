import type { CustomerZone } from './customer-zone.js';
import { invalid } from './errors.js';
import type { Holidays } from './holidays.js';
import { addDays, localParts, localToInstant } from './local-time.js';
import { nextWorkingMoment, type WorkingHours } from './working-hours.js';

/**
 * The callback time a customer asked for (`hubungi … hasil=minta-dihubungi-lagi jam=14.00`).
 *
 * API:
 * - `callbackTime(jam, now, zone, hours, holidays)` → `{ requested, at, moved }`: `jam` (`14.00`,
 *   `14:00`, `14`, `9.30`) is a local time in the customer's zone on its next occurrence after
 *   `now` (today when still ahead, else tomorrow); `at` is that moment moved into working hours
 *   and off holidays with `nextWorkingMoment`, and `moved` says whether it had to move (so the
 *   reply can say so). Nonsense (`25.00`, `14.75`, `besok`) is `invalid_input` naming `jam`.
 */

export interface CallbackTime {
  /** The moment the customer asked for. */
  requested: Date;
  /** When the agent is reminded to call: `requested`, or the next working moment after it. */
  at: Date;
  moved: boolean;
}

const CLOCK = /^(\d{1,2})(?:[.:](\d{2}))?$/;

export function callbackTime(
  jam: string,
  now: Date,
  zone: CustomerZone,
  hours: WorkingHours,
  holidays: Holidays,
): CallbackTime {
  const m = CLOCK.exec(jam.trim());
  const hour = Number(m?.[1]);
  const minute = Number(m?.[2] ?? 0);
  if (!m || hour > 23 || minute > 59) throw invalid('err.badTime', { option: 'jam', value: jam.trim().slice(0, 10) });
  const msOfDay = (hour * 60 + minute) * 60_000;
  const today = localParts(now, zone.tz).date;
  let requested = localToInstant(today, msOfDay, zone.tz);
  if (requested.getTime() <= now.getTime()) requested = localToInstant(addDays(today, 1), msOfDay, zone.tz);
  const at = nextWorkingMoment(requested, zone, hours, holidays);
  return { requested, at, moved: at.getTime() !== requested.getTime() };
}
