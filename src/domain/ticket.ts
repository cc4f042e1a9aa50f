import { DomainError } from './errors.js';
import { type Actor, isLeaderOf, isSupervisor } from './roles.js';

/**
 * Ticket states. `open` is being handled by its assignee; `escalated` is handled under an approved
 * escalation (P5.10, P5.6); `confirmed` means the customer said the fault is fixed (P5.11);
 * `closed` is final (P5.12).
 */
export const STATUSES = ['open', 'escalated', 'confirmed', 'closed'] as const;
export type Status = (typeof STATUSES)[number];

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

export const ESCALATION_LEVELS = ['tl', 'spv', 'telkom'] as const;
export type EscalationLevel = (typeof ESCALATION_LEVELS)[number];

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

export function assertNotClosed(t: TicketFacts): void {
  if (t.status === 'closed') throw new DomainError('conflict', 'err.closed', { ticket: t.number });
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
  assertNotClosed(t);
  if (t.assignee === actor.userKey) throw new DomainError('conflict', 'err.alreadyYours', { ticket: t.number });
}

/** P5.11 and P5.7 before P5.12: closing needs the customer's `ok` and the standard offer of further help. */
export function closeBlocker(t: TicketFacts, offerMade: boolean): 'confirmation' | 'offer' | null {
  if (t.status !== 'confirmed') return 'confirmation';
  if (!offerMade) return 'offer';
  return null;
}
