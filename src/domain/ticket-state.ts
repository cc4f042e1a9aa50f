import type { MessageKey } from '../i18n/index.js';
import { DomainError } from './errors.js';

/**
 * The ticket state machine: the only place that says which change a ticket's state allows.
 *
 * States: `open` is handled by its assignee; `escalated` is handled under an approved escalation
 * (P5.10, P5.6); `confirmed` means the customer said the fault is fixed (P5.11); `closed` is final
 * (P5.12) and changes only through an explicit reopen. Beside the status a ticket carries its
 * escalation level (which only goes up) and an SLA pause: while the ticket waits on the customer
 * (a requested callback, not reachable between call attempts) or on Telkom, its SLA clock stops.
 *
 * `decide` is pure: the services apply its outcome to the row in the same transaction as the
 * change's audit event (src/services/transition.ts), so the record cannot say what did not happen.
 */
export const STATUSES = ['open', 'escalated', 'confirmed', 'closed'] as const;
export type Status = (typeof STATUSES)[number];

export const ESCALATION_LEVELS = ['tl', 'spv', 'telkom'] as const;
export type EscalationLevel = (typeof ESCALATION_LEVELS)[number];

export const CALL_OUTCOMES = [
  'tersambung',
  'tidak-diangkat',
  'sibuk',
  'salah-sambung',
  'minta-dihubungi-lagi',
] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];
/** Attempts that did not reach the customer: they count toward closing as TIDAK-TERHUBUNG. */
export const FAILED_CALLS: readonly CallOutcome[] = ['tidak-diangkat', 'sibuk', 'salah-sambung'];

/** Close codes with a rule of their own; any other code is a resolution code of a confirmed repair. */
export const NO_CONTACT_CODE = 'TIDAK-TERHUBUNG';
export const DUPLICATE_CODE = 'DUPLIKAT';
export const CANCELLED_CODE = 'BATAL';

export type PauseReason = 'customer' | 'telkom';

export interface TicketState {
  number: string;
  status: string;
  escalationLevel: string | null;
  closedAt: Date | null;
  pausedSince: Date | null;
  pauseReason: string | null;
  /** Failed call attempts since the last connected call that count toward TIDAK-TERHUBUNG. */
  failedAttempts: number;
}

export type Move =
  | { kind: 'note' }
  | { kind: 'telkom_answer' }
  | { kind: 'inform' }
  | { kind: 'call'; outcome: CallOutcome }
  | { kind: 'callback_due' }
  | { kind: 'repeat_contact' }
  | { kind: 'request_escalation'; level: EscalationLevel }
  | { kind: 'decide_escalation'; decision: 'approved' | 'rejected'; level: EscalationLevel }
  | { kind: 'take_over' }
  | { kind: 'confirm'; result: 'ok' | 'gagal' }
  | { kind: 'close'; path: ClosePath; offer: boolean; maxAttempts: number }
  | { kind: 'reopen' };

export type ClosePath = 'standard' | 'no_contact' | 'duplicate' | 'cancelled';

export interface Outcome {
  status: Status;
  escalationLevel: EscalationLevel | null;
  closed: 'set' | 'clear' | 'keep';
  /** Start a pause, end the current one, or leave the clock as it is. */
  pause: PauseReason | 'resume' | 'keep';
  /** A waiting escalation no longer makes sense once the customer confirmed or the ticket closed. */
  cancelWaitingEscalation: boolean;
}

const rank = (level: string | null) => (level ? ESCALATION_LEVELS.indexOf(level as EscalationLevel) : -1);

/** The higher of two levels: an approval never lowers what a ticket reached. */
export function higherLevel(current: string | null, next: EscalationLevel): EscalationLevel {
  return rank(current) >= rank(next) ? (current as EscalationLevel) : next;
}

const handling = (s: TicketState): Status => (s.escalationLevel ? 'escalated' : 'open');

/** Why the state refuses a move: the catalogue message of the conflict. */
interface Refusal {
  refused: MessageKey;
}
const refuse = (key: MessageKey): Refusal => ({ refused: key });
const isRefusal = (x: Outcome | Refusal): x is Refusal => 'refused' in x;

/** Ends a pause on the customer when the customer is back in touch (or the callback time came). */
const resumeIfWaitingOn = (s: TicketState, reason: PauseReason): Outcome['pause'] =>
  s.pausedSince && s.pauseReason === reason ? 'resume' : 'keep';

/** What `move` does to a ticket in state `s`, or the conflict that refuses it. */
export function decide(s: TicketState, move: Move): Outcome {
  const judged = judge(s, move);
  if (isRefusal(judged)) throw new DomainError('conflict', judged.refused, { ticket: s.number });
  return judged;
}

// `decide` without the throw: a card asks it five times per render (nextSteps), and an Error's
// stack is costly to build for an answer that is only read as yes or no.
function judge(s: TicketState, move: Move): Outcome | Refusal {
  const keep: Outcome = {
    status: s.status as Status,
    escalationLevel: (s.escalationLevel as EscalationLevel | null) ?? null,
    closed: 'keep',
    pause: 'keep',
    cancelWaitingEscalation: false,
  };
  if (s.status === 'closed' && move.kind !== 'reopen') return refuse('err.closed');

  switch (move.kind) {
    case 'note':
    case 'take_over':
      return keep;
    case 'telkom_answer':
      return { ...keep, pause: resumeIfWaitingOn(s, 'telkom') };
    case 'inform':
    case 'repeat_contact':
    case 'callback_due':
      return { ...keep, pause: resumeIfWaitingOn(s, 'customer') };
    case 'call': {
      if (s.pausedSince && s.pauseReason === 'telkom') return keep;
      if (move.outcome === 'tersambung') return { ...keep, pause: resumeIfWaitingOn(s, 'customer') };
      // Not reached, or asked to be called back: the ticket waits on the customer.
      return { ...keep, pause: s.pausedSince ? 'keep' : 'customer' };
    }
    case 'request_escalation':
      if (s.status === 'confirmed') return refuse('err.alreadyConfirmed');
      if (rank(move.level) <= rank(s.escalationLevel)) return refuse('err.levelNotHigher');
      return keep;
    case 'decide_escalation': {
      if (s.status === 'confirmed') return refuse('err.alreadyConfirmed');
      if (move.decision === 'rejected') return keep;
      const level = higherLevel(s.escalationLevel, move.level);
      const toTelkom = level === 'telkom' && rank(s.escalationLevel) < rank('telkom');
      return {
        ...keep,
        status: 'escalated',
        escalationLevel: level,
        // Handed to Telkom: the ticket waits on them, whatever it waited on before.
        pause: toTelkom ? 'telkom' : 'keep',
      };
    }
    case 'confirm':
      if (move.result === 'ok') {
        if (s.status === 'confirmed') return refuse('err.alreadyConfirmed');
        return {
          ...keep,
          status: 'confirmed',
          pause: s.pausedSince ? 'resume' : 'keep',
          cancelWaitingEscalation: true,
        };
      }
      return { ...keep, status: handling(s), pause: s.pausedSince ? 'resume' : 'keep' };
    case 'close': {
      if (move.path === 'standard') {
        if (s.status !== 'confirmed') return refuse('err.needConfirmation');
        if (!move.offer) return refuse('err.needOffer');
      }
      if (move.path === 'no_contact' && s.failedAttempts < move.maxAttempts) return refuse('err.needAttempts');
      return {
        ...keep,
        status: 'closed',
        closed: 'set',
        pause: s.pausedSince ? 'resume' : 'keep',
        cancelWaitingEscalation: true,
      };
    }
    case 'reopen':
      if (s.status !== 'closed') return refuse('err.notClosed');
      return { ...keep, status: handling(s), closed: 'clear' };
  }
}

/** The next steps a ticket's card offers as buttons, in the order an agent takes them. */
export const CARD_STEPS = ['take_over', 'call', 'inform', 'confirm', 'close'] as const;
export type CardStep = (typeof CARD_STEPS)[number];

const STEP_PROBE: Record<CardStep, Move> = {
  take_over: { kind: 'take_over' },
  call: { kind: 'call', outcome: 'tersambung' },
  inform: { kind: 'inform' },
  confirm: { kind: 'confirm', result: 'ok' },
  // The standard close with the offer made: the one a card's button runs.
  close: { kind: 'close', path: 'standard', offer: true, maxAttempts: Number.POSITIVE_INFINITY },
};

/**
 * The steps the state allows now, read from `decide` itself so a card never offers what the state
 * machine would refuse. Who may take them is checked when one is clicked (a card is one message
 * everyone sees).
 */
export function nextSteps(s: TicketState): CardStep[] {
  return CARD_STEPS.filter((step) => !isRefusal(judge(s, STEP_PROBE[step])));
}

/** The invariants every ticket row holds after any sequence of moves (checked by the property test). */
export function stateViolations(s: TicketState & { pendingEscalations: number }): string[] {
  const problems: string[] = [];
  if (!(STATUSES as readonly string[]).includes(s.status)) problems.push(`unknown status ${s.status}`);
  if ((s.status === 'closed') !== (s.closedAt !== null)) problems.push('closed and closed_at disagree');
  if ((s.status === 'closed' || s.status === 'confirmed') && s.pendingEscalations > 0)
    problems.push(`${s.status} with a waiting escalation`);
  if (s.pendingEscalations > 1) problems.push('more than one waiting escalation');
  if (s.status === 'escalated' && !s.escalationLevel) problems.push('escalated without a level');
  if (s.status === 'open' && s.escalationLevel) problems.push('open with an escalation level');
  if ((s.pausedSince === null) !== (s.pauseReason === null)) problems.push('pause and its reason disagree');
  if (s.status === 'closed' && s.pausedSince) problems.push('closed with the SLA clock paused');
  return problems;
}

export { rank as levelRank };
