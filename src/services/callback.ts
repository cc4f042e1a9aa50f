import type { Core } from '../app.js';
import { invalid } from '../domain/errors.js';
import type { Ticket } from './present.js';

/** Indonesia's three zones; none keeps daylight saving time, so each is a fixed offset. */
export const ZONES = { WIB: 7, WITA: 8, WIT: 9 } as const;
export type ZoneName = keyof typeof ZONES;

export function parseZone(raw: string | undefined): ZoneName | null {
  const word = raw?.trim().toUpperCase();
  if (!word) return null;
  if (!(word in ZONES)) throw invalid('err.badZone', { option: 'zona', value: word.slice(0, 10) });
  return word as ZoneName;
}

export interface Callback {
  at: Date;
  zone: ZoneName;
  moved: boolean;
}

/** `jam=14.00` in the customer's zone: the next time that clock shows it, today or tomorrow. */
export function scheduleCallback(
  _core: Core,
  ticket: Ticket,
  raw: string,
  zoneRaw: string | undefined,
  now: Date,
): Callback {
  const m = /^(\d{1,2})(?:[.:](\d{2}))?$/.exec(raw.trim());
  const hour = Number(m?.[1]);
  const minute = Number(m?.[2] ?? 0);
  if (!m || hour > 23 || minute > 59) throw invalid('err.badTime', { option: 'jam', value: raw.slice(0, 10) });
  const zone = parseZone(zoneRaw) ?? ((ticket.customerZone as ZoneName | null) || 'WIB');
  const offset = ZONES[zone] * 3_600_000;
  const local = new Date(now.getTime() + offset);
  let at = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), hour, minute) - offset;
  if (at <= now.getTime()) at += 86_400_000;
  return { at: new Date(at), zone, moved: false };
}
