import { and, desc, eq, gt, ne, or, type SQL } from 'drizzle-orm';
import type { Core } from '../app.js';
import { tickets } from '../db/schema.js';
import { DomainError } from '../domain/errors.js';
import { maskCustomerId, maskName, maskPhone } from '../domain/mask.js';
import { normaliseIndonesianPhone } from '../domain/phone.js';
import { type Actor, isSupervisor } from '../domain/roles.js';
import { normaliseCustomerId, SERVICE_LINES } from '../domain/service-lines.js';
import { normaliseTicketNumber } from '../domain/ticket-number.js';
import { serviceLabel, statusLabel, type Ticket } from './present.js';
import { sameCustomer } from './ticket-store.js';

const RESULTS = 10;
/** Sealed values without an index are matched over a bounded set: open tickets and the last 30 days. */
const RECENT_WINDOW_MS = 30 * 24 * 3600 * 1000;
const RECENT_CANDIDATES = 2000;

/** Who sees what: supervisors every team, everyone else their own team. */
const scopeOf = (actor: Actor): SQL | undefined => (isSupervisor(actor) ? undefined : eq(tickets.team, actor.team));

/**
 * `cari`: the one place a ticket is found by what an agent has at hand. The ticket number and
 * MONITA ID are plain equality lookups; the customer ID is sealed, so it is found through the
 * keyed blind index of every service line it could belong to (all time). The contact and name are
 * sealed with no index: they are matched after opening, over the caller's scoped, bounded candidate
 * set (open tickets and those of the last 30 days).
 */
export async function searchTickets(
  core: Core,
  actor: Actor,
  query: string,
): Promise<{ rows: Ticket[]; more: boolean }> {
  if (!actor.role) throw new DomainError('forbidden', 'err.notOnRoster');
  const q = query.trim().replace(/\s+/g, ' ');
  const exact = exactKeys(q);
  const phone = /^\+?[\d\s().\-/]{8,}$/.test(q) ? normaliseIndonesianPhone(q) : null;
  const fragment = q.toLowerCase();
  const byName = /\p{L}.*\p{L}.*\p{L}/u.test(q);
  if (exact.length === 0 && !byName && !phone)
    throw new DomainError('invalid_input', 'err.searchShort', { option: 'teks' });
  const scope = scopeOf(actor);
  const found = new Map<number, Ticket>();
  if (exact.length > 0) {
    const rows = await core.db
      .select()
      .from(tickets)
      .where(and(scope, or(...exact)))
      .orderBy(desc(tickets.id))
      .limit(RESULTS + 1);
    for (const t of rows) found.set(t.id, t);
  }
  if ((byName || phone) && found.size <= RESULTS) {
    const since = new Date(core.clock().getTime() - RECENT_WINDOW_MS);
    const candidates = await core.db
      .select()
      .from(tickets)
      .where(and(scope, or(ne(tickets.status, 'closed'), gt(tickets.createdAt, since))))
      .orderBy(desc(tickets.id))
      .limit(RECENT_CANDIDATES);
    for (const t of candidates)
      if ((phone && t.contact === phone) || (byName && t.customerName.toLowerCase().includes(fragment)))
        found.set(t.id, t);
  }
  const rows = [...found.values()].sort((a, b) => b.id - a.id);
  return { rows: rows.slice(0, RESULTS), more: rows.length > RESULTS };
}

/** Index lookups for whatever the text could be exactly: a ticket, a MONITA ID, a customer ID. */
function exactKeys(q: string): SQL[] {
  const keys: SQL[] = [];
  const compact = q.replace(/[\s-]/g, '');
  const number = /^(ggn-?)?\d{1,12}$/i.test(q) ? normaliseTicketNumber(q) : null;
  if (number) keys.push(eq(tickets.number, number));
  if (/^IN\d{4,15}$/i.test(compact)) keys.push(eq(tickets.monitaId, compact.toUpperCase()));
  for (const service of SERVICE_LINES) {
    const id = normaliseCustomerId(service, q.trim());
    if (id) keys.push(sameCustomer(service, id));
  }
  return keys;
}

/** One short, masked line: the number, the line's name, the state and who the customer is, masked. */
export function searchLine(core: Pick<Core, 't' | 'config' | 'locale'>, t: Ticket): string {
  return [
    t.number,
    serviceLabel(core, t.service),
    statusLabel(core, t.status),
    maskName(t.customerName),
    maskCustomerId(t.customerId),
    maskPhone(t.contact),
  ].join(' · ');
}
