import { and, asc, eq, inArray, ne, type SQL, sql } from 'drizzle-orm';
import type { Core } from '../app.js';
import { tickets } from '../db/schema.js';
import { DomainError } from '../domain/errors.js';
import type { Actor } from '../domain/roles.js';
import { canHandle, STATUS_WORDS } from '../domain/ticket.js';
import type { Reply } from '../reply.js';
import { durationLabel, mention, serviceLabel, statusLabel, type Ticket, ticketCard } from './present.js';
import { eventsOf, loadTicket, pendingEscalation } from './ticket-store.js';

/** A1: the ticket card with its checklist and history; full customer data only for its handlers. */
export async function viewTicket(core: Core, actor: Actor, number: string): Promise<Reply> {
  if (!actor.role) throw new DomainError('forbidden', 'err.notOnRoster');
  const ticket = await loadTicket(core.db, number);
  const [events, pending] = await Promise.all([eventsOf(core.db, ticket.id), pendingEscalation(core.db, ticket.id)]);
  return ticketCard(core, ticket, { full: canHandle(actor, ticket), audience: 'ephemeral', events, pending });
}

export const PAGE_SIZE = 20;

/** Time left on the SLA; a paused clock is frozen at what was left when it stopped. */
const slaLeft = (now: Date) =>
  sql<number>`extract(epoch from (${tickets.slaDueAt} - coalesce(${tickets.pausedSince}, ${now.toISOString()}::timestamptz)))`;

export interface TicketPage {
  rows: Ticket[];
  total: number;
  page: number;
  pages: number;
}

/** `daftar`: the caller's tickets, least SLA time left first, one page at a time. */
export async function listTickets(
  core: Core,
  actor: Actor,
  statusWord?: string,
  scopeWord?: string,
  pageWord?: string,
): Promise<TicketPage> {
  if (!actor.role) throw new DomainError('forbidden', 'err.notOnRoster');
  const status = statusWord ? STATUS_WORDS[statusWord.toLowerCase()] : 'active';
  if (!status) throw new DomainError('invalid_input', 'err.badStatus', { option: 'status', value: statusWord ?? '' });
  const scope = (scopeWord ?? (actor.role === 'agent' ? 'saya' : 'tim')).toLowerCase();
  if (!['saya', 'tim', 'semua'].includes(scope))
    throw new DomainError('invalid_input', 'err.badScope', { option: 'milik', value: scope });
  const page = pageWord === undefined ? 1 : Number(pageWord);
  if (!Number.isInteger(page) || page < 1 || page > 10_000)
    throw new DomainError('invalid_input', 'err.badPage', { option: 'hal', value: String(pageWord).slice(0, 10) });
  const where: SQL[] = [status === 'active' ? ne(tickets.status, 'closed') : eq(tickets.status, status)];
  if (scope === 'saya') where.push(eq(tickets.assignee, actor.userKey));
  if (scope === 'tim') where.push(eq(tickets.team, actor.team));
  if (scope === 'semua' && actor.role !== 'supervisor') where.push(inArray(tickets.team, [actor.team]));
  const now = core.clock();
  const [rows, [count]] = await Promise.all([
    core.db
      .select()
      .from(tickets)
      .where(and(...where))
      .orderBy(asc(slaLeft(now)), asc(tickets.id))
      .limit(PAGE_SIZE)
      .offset((page - 1) * PAGE_SIZE),
    core.db
      .select({ n: sql<number>`count(*)::int` })
      .from(tickets)
      .where(and(...where)),
  ]);
  const total = count?.n ?? 0;
  return { rows, total, page, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)) };
}

/** One line: number, the service line's name, state, who, and the SLA time left (frozen while paused). */
export function listLine(core: Core, t: Ticket, now: Date): string {
  const base = `${t.number} · ${serviceLabel(core, t.service)} · ${statusLabel(core, t.status)} · ${mention(t.assignee)}`;
  if (t.status === 'closed') return base;
  const left = t.slaDueAt.getTime() - (t.pausedSince ?? now).getTime();
  const label = durationLabel(core, Math.abs(left));
  const sla = t.pausedSince
    ? core.t('list.paused', { left: label })
    : left < 0
      ? `⚠ ${core.t('list.over', { left: label })}`
      : core.t('list.left', { left: label });
  return `${base} · ${sla}`;
}
