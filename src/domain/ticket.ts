/** Who may do what to a ticket; which state change is allowed is ticket-state.ts's to say. */
import { DomainError } from './errors.js';
import { type Actor, isLeaderOf, isSupervisor } from './roles.js';
import type { Status } from './ticket-state.js';

/** The words agents type in `daftar status=…` (Indonesian first, English accepted). */
export const STATUS_WORDS: Record<string, Status | 'active'> = {
  ditangani: 'open',
  open: 'open',
  eskalasi: 'escalated',
  escalated: 'escalated',
  dikonfirmasi: 'confirmed',
  konfirmasi: 'confirmed',
  confirmed: 'confirmed',
  ditutup: 'closed',
  tutup: 'closed',
  closed: 'closed',
  aktif: 'active',
  active: 'active',
};

export interface TicketFacts {
  number: string;
  status: string;
  team: string;
  assignee: string;
}

export interface EscalationFacts {
  level: string;
  requestedBy: string;
}

/** Assignee, a team leader of the ticket's team, or any supervisor (catat, kabari, eskalasi, konfirmasi, tutup). */
export function canHandle(actor: Actor, t: TicketFacts): boolean {
  return actor.userKey === t.assignee || isLeaderOf(actor, t.team) || isSupervisor(actor);
}

export function assertCanHandle(actor: Actor, t: TicketFacts): void {
  if (!canHandle(actor, t)) throw new DomainError('forbidden', 'err.notHandler', { ticket: t.number });
}

/**
 * P5.10: never the requester; a team leader of the ticket's team or any supervisor for `tl`;
 * only a supervisor for `spv`, and for `telkom` (P5.6: leaving the contact center needs a supervisor).
 */
export function assertCanDecide(actor: Actor, t: TicketFacts, e: EscalationFacts): void {
  if (actor.userKey === e.requestedBy) throw new DomainError('forbidden', 'err.ownRequest', { ticket: t.number });
  const allowed = e.level === 'tl' ? isLeaderOf(actor, t.team) || isSupervisor(actor) : isSupervisor(actor);
  if (!allowed)
    throw new DomainError('forbidden', e.level === 'tl' ? 'err.decideTl' : 'err.decideSpv', { ticket: t.number });
}

/** P5.6: a team leader of the ticket's team or any supervisor takes a ticket over. */
export function assertCanTakeOver(actor: Actor, t: TicketFacts): void {
  if (!(isLeaderOf(actor, t.team) || isSupervisor(actor)))
    throw new DomainError('forbidden', 'err.takeOver', { ticket: t.number });
  if (t.assignee === actor.userKey) throw new DomainError('conflict', 'err.alreadyYours', { ticket: t.number });
}

/**
 * Reopening a closed ticket: its assignee within `reopenDays` of closing (the customer called back
 * about the same fault, a repeat contact), otherwise a team leader of the team or a supervisor.
 */
export function assertCanReopen(
  actor: Actor,
  t: TicketFacts & { closedAt: Date | null },
  now: Date,
  reopenDays: number,
) {
  if (isLeaderOf(actor, t.team) || isSupervisor(actor)) return;
  const recent = t.closedAt !== null && now.getTime() - t.closedAt.getTime() <= reopenDays * 86_400_000;
  if (actor.userKey === t.assignee && recent) return;
  throw new DomainError('forbidden', 'err.reopenLate', { ticket: t.number, days: reopenDays });
}
