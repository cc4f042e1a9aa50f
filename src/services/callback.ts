import type { Core } from '../app.js';
import { callbackTime } from '../domain/callback-time.js';
import { type CustomerZone, parseZone, ZONES, type ZoneName, zoneOf } from '../domain/customer-zone.js';
import type { Ticket } from './present.js';

export interface Callback {
  at: Date;
  zone: ZoneName;
  moved: boolean;
}

/** The contact center's own zone, for customers whose number carries no area (mobiles). */
export const defaultZone = (core: Pick<Core, 'config'>): CustomerZone =>
  parseZone(core.config.POSKO_TIMEZONE) ?? ZONES.WIB;

/** The customer's zone as stored on the ticket (from the number's area or `zona=`), else the default. */
export const ticketZone = (core: Pick<Core, 'config'>, ticket: Pick<Ticket, 'customerZone'>): CustomerZone =>
  ZONES[ticket.customerZone as ZoneName] ?? defaultZone(core);

/**
 * `jam=14.00` in the customer's zone (`zona=` over the stored one), moved into the working hours
 * and off the holidays so that no reminder asks an agent to call a customer at 23.00 local time.
 */
export function scheduleCallback(
  core: Core,
  ticket: Ticket,
  raw: string,
  zoneRaw: string | undefined,
  now: Date,
): Callback {
  const zone = zoneRaw ? zoneOf(null, zoneRaw, defaultZone(core)) : ticketZone(core, ticket);
  const { at, moved } = callbackTime(raw, now, zone, core.config.POSKO_WORKING_HOURS, core.config.POSKO_HOLIDAYS);
  return { at, zone: zone.name, moved };
}
