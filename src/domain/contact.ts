import type { EventFacts } from './events.js';

type ContactEvent = Pick<EventFacts, 'type' | 'payload'>;

/** P5.9, A8: a progress update reached the customer — `kabari`, or a connected call. */
export const progressUpdate = (e: ContactEvent): boolean =>
  e.type === 'informed' || (e.type === 'call_attempt' && e.payload.outcome === 'tersambung');

/**
 * The customer heard from us at all: a progress update or the confirmation call (A10). The KPIs'
 * cadence counts this; the checklist's P5.9 item asks for a progress update itself, so a ticket
 * confirmed without one still shows the update as skipped.
 */
export const reachedCustomer = (e: ContactEvent): boolean => progressUpdate(e) || e.type === 'confirmed';
