import { SHIPPED_HOLIDAYS_TEXT } from './holidays-id-2026-2027.js';

/**
 * Holiday lists: local calendar dates on which no customer is called and no reminder asks for it.
 *
 * API:
 * - `Holidays`: a map 'YYYY-MM-DD' → name (a date is a holiday in the customer's own zone).
 * - `parseHolidays(text)` → Holidays from lines `YYYY-MM-DD name`; blank lines and lines starting
 *   with `#` are ignored. A bad line throws `HolidayListError` whose message is one line naming
 *   the line number and the line.
 * - `SHIPPED_HOLIDAYS`: the Indonesian national holidays 2026–2027 shipped with posko
 *   (`holidays-id-2026-2027.ts`), used when POSKO_HOLIDAYS is unset.
 *
 * Reading a file is the caller's business (config loads POSKO_HOLIDAYS), so this stays pure.
 */

export type Holidays = ReadonlyMap<string, string>;

export class HolidayListError extends Error {}

const LINE = /^(\d{4})-(\d{2})-(\d{2})\s+(\S.*)$/;

export function parseHolidays(text: string): Holidays {
  const holidays = new Map<string, string>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const m = LINE.exec(line);
    if (!m || !isRealDate(Number(m[1]), Number(m[2]), Number(m[3])))
      throw new HolidayListError(
        `line ${index + 1} ${JSON.stringify(line.slice(0, 80))} is not "YYYY-MM-DD name" with a real date`,
      );
    const date = `${m[1]}-${m[2]}-${m[3]}`;
    const name = (m[4] ?? '').trim();
    const earlier = holidays.get(date);
    holidays.set(date, earlier ? `${earlier}; ${name}` : name);
  });
  return holidays;
}

function isRealDate(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

export const SHIPPED_HOLIDAYS: Holidays = parseHolidays(SHIPPED_HOLIDAYS_TEXT);
