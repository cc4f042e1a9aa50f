import { reachedCustomer } from './contact.js';

/**
 * SOP §7 KPIs of one ticket, derived only from its audit events (oldest first) so that the digest
 * measures what happened, not what a column says now. Pure: the digest loads the events of the
 * tickets closed in its period and sums these per-ticket verdicts.
 *
 * Definitions (README, "KPIs"):
 * - within SLA (A7): judged when the customer confirmed `ok` (standard close) or at closing (the
 *   no-contact paths), against a due time that leaves out the paused time — the service stores
 *   the verdict on the `confirmed` / `closed` events as it judges it.
 * - informed on time (A8, P5.9): the ticket had a contact (an update, a connected call, a
 *   confirmation) and no stretch of its running, unpaused life — from opening, between contacts,
 *   up to the confirmation or the close — was longer than `informEveryMinutes`.
 * - first contact: wall minutes from opening to the first contact; never contacted = Infinity.
 * - first-contact resolution (A5): closed the standard way and confirmed `ok` on the first
 *   connected call (no earlier failed confirmation, no reopen).
 */
export interface KpiEvent {
  type: string;
  at: Date;
  payload: Record<string, unknown>;
}

export interface TicketKpi {
  /** How it closed last: standard, no_contact, duplicate, cancelled (or other, for closes imported without an offer). */
  path: string;
  withinSla: boolean;
  /** Null when the definition does not apply (a duplicate or a customer never reached). */
  informedOnTime: boolean | null;
  firstContactMinutes: number;
  firstContactResolution: boolean | null;
  repeatContact: boolean;
  callAttempts: number;
}

/** Closes recorded before close paths existed carry only a code and the offer; without an offer it was no standard close. */
function pathOf(closed: KpiEvent): string {
  if (typeof closed.payload.path === 'string') return closed.payload.path;
  const code = closed.payload.code;
  if (code === 'TIDAK-TERHUBUNG') return 'no_contact';
  if (code === 'DUPLIKAT') return 'duplicate';
  if (code === 'BATAL') return 'cancelled';
  return closed.payload.offer === true ? 'standard' : 'other';
}

/** The KPI verdicts of a closed ticket; null when it has no `closed` event. */
export function ticketKpi(events: readonly KpiEvent[], informEveryMinutes: number): TicketKpi | null {
  const closed = events.filter((e) => e.type === 'closed').at(-1);
  const opened = events[0];
  if (!closed || !opened) return null;
  const path = pathOf(closed);
  const lifeEvents = events.filter((e) => e.at <= closed.at);
  const firstContact = lifeEvents.find(reachedCustomer);
  const connectedBeforeOk: number[] = [];
  let connected = 0;
  let failedConfirmation = false;
  for (const e of lifeEvents) {
    if (e.type === 'call_attempt' && e.payload.outcome === 'tersambung') connected++;
    if (e.type === 'confirmed' && e.payload.result === 'gagal') failedConfirmation = true;
    if (e.type === 'confirmed' && e.payload.result === 'ok') connectedBeforeOk.push(connected);
  }
  const reopened = events.some((e) => e.type === 'reopened');
  const firstOk = connectedBeforeOk[0];
  return {
    path,
    withinSla: closed.payload.withinSla === true,
    informedOnTime:
      path === 'duplicate' || path === 'no_contact' ? null : informedOnTime(lifeEvents, informEveryMinutes * 60_000),
    firstContactMinutes: firstContact
      ? Math.round((firstContact.at.getTime() - opened.at.getTime()) / 60_000)
      : Number.POSITIVE_INFINITY,
    firstContactResolution:
      path === 'standard' ? firstOk !== undefined && firstOk <= 1 && !failedConfirmation && !reopened : null,
    repeatContact: events.some((e) => e.type === 'repeat_contact' || e.type === 'reopened'),
    callAttempts: lifeEvents.filter((e) => e.type === 'call_attempt').length,
  };
}

/**
 * Walks the ticket's life with a clock that runs only while the ticket is open and unpaused: a
 * pause, a confirmation `ok` and a close stop it; a resume, a failed confirmation and a reopen
 * start it again. No running stretch without a contact may exceed `everyMs`.
 */
function informedOnTime(events: readonly KpiEvent[], everyMs: number): boolean {
  let running = true;
  let paused = false;
  let since = events[0]?.at.getTime() ?? 0;
  let quiet = 0;
  let contacts = 0;
  let ok = true;
  for (const e of events.slice(1)) {
    const t = e.at.getTime();
    if (running && !paused) quiet += t - since;
    since = t;
    if (reachedCustomer(e)) {
      if (quiet > everyMs) ok = false;
      quiet = 0;
      contacts++;
    }
    if (e.type === 'sla_paused') paused = true;
    if (e.type === 'sla_resumed') paused = false;
    if (e.type === 'confirmed') running = e.payload.result !== 'ok';
    if (e.type === 'closed') running = false;
    if (e.type === 'reopened') running = true;
  }
  if (quiet > everyMs) ok = false;
  return ok && contacts > 0;
}

/** The median of a list that may hold Infinity (never happened); null for an empty list. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const value =
    sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return Number.isFinite(value) ? Math.round(value) : Number.POSITIVE_INFINITY;
}
