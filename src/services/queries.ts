import { and, desc, eq, inArray, ne, type SQL } from 'drizzle-orm';
import type { Core } from '../app.js';
import { tickets } from '../db/schema.js';
import { DomainError } from '../domain/errors.js';
import type { Actor } from '../domain/roles.js';
import { canHandle, STATUS_WORDS } from '../domain/ticket.js';
import type { Reply } from '../reply.js';
import { formatTime, mention, statusLabel, type Ticket, ticketCard } from './present.js';
import { eventsOf, loadTicket, pendingEscalation } from './ticket-store.js';

/** A1: the ticket card with its checklist and history; full customer data only for its handlers. */
export async function viewTicket(core: Core, actor: Actor, number: string): Promise<Reply> {
  if (!actor.role) throw new DomainError('forbidden', 'err.notOnRoster');
  const ticket = await loadTicket(core.db, number);
  const [events, pending] = await Promise.all([eventsOf(core.db, ticket.id), pendingEscalation(core.db, ticket.id)]);
  return ticketCard(core, ticket, { full: canHandle(actor, ticket), audience: 'ephemeral', events, pending });
}

const LIST_LIMIT = 25;

export async function listTickets(
  core: Core,
  actor: Actor,
  statusWord?: string,
  scopeWord?: string,
): Promise<{ rows: Ticket[]; more: boolean }> {
  if (!actor.role) throw new DomainError('forbidden', 'err.notOnRoster');
  const status = statusWord ? STATUS_WORDS[statusWord.toLowerCase()] : 'active';
  if (!status) throw new DomainError('invalid_input', 'err.badStatus', { option: 'status', value: statusWord ?? '' });
  const scope = (scopeWord ?? (actor.role === 'agent' ? 'saya' : 'tim')).toLowerCase();
  if (!['saya', 'tim', 'semua'].includes(scope))
    throw new DomainError('invalid_input', 'err.badScope', { option: 'milik', value: scope });
  const where: SQL[] = [status === 'active' ? ne(tickets.status, 'closed') : eq(tickets.status, status)];
  if (scope === 'saya') where.push(eq(tickets.assignee, actor.userKey));
  if (scope === 'tim') where.push(eq(tickets.team, actor.team));
  if (scope === 'semua' && actor.role !== 'supervisor') where.push(inArray(tickets.team, [actor.team]));
  const rows = await core.db
    .select()
    .from(tickets)
    .where(and(...where))
    .orderBy(desc(tickets.id))
    .limit(LIST_LIMIT + 1);
  return { rows: rows.slice(0, LIST_LIMIT), more: rows.length > LIST_LIMIT };
}

export function listLine(core: Core, t: Ticket, now: Date): string {
  const late = t.status !== 'closed' && t.slaDueAt < now ? ` ⚠ ${core.t('list.late')}` : '';
  return `${t.number} · ${t.service} · ${statusLabel(core, t.status)} · ${mention(t.assignee)} · SLA ${formatTime(core, t.slaDueAt)}${late}`;
}
