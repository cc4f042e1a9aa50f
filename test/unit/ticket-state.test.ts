import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors.js';
import {
  CALL_OUTCOMES,
  CARD_STEPS,
  decide,
  ESCALATION_LEVELS,
  levelRank,
  type Move,
  nextSteps,
  stateViolations,
  type TicketState,
} from '../../src/domain/ticket-state.js';

const fresh = (): TicketState => ({
  number: 'GGN-000001',
  status: 'open',
  escalationLevel: null,
  closedAt: null,
  pausedSince: null,
  pauseReason: null,
  failedAttempts: 0,
});

const refusal = (s: TicketState, move: Move) => {
  try {
    decide(s, move);
    return null;
  } catch (err) {
    if (err instanceof DomainError) return `${err.code} ${err.key}`;
    throw err;
  }
};

/** Applies an outcome as the service does (the row update), so sequences can be checked purely. */
function apply(s: TicketState, move: Move, at: Date): TicketState {
  const o = decide(s, move);
  const next: TicketState = { ...s, status: o.status, escalationLevel: o.escalationLevel };
  if (o.closed === 'set') next.closedAt = at;
  if (o.closed === 'clear') next.closedAt = null;
  if (o.pause === 'resume') Object.assign(next, { pausedSince: null, pauseReason: null });
  if (o.pause === 'customer' || o.pause === 'telkom')
    Object.assign(next, { pausedSince: s.pausedSince ?? at, pauseReason: o.pause });
  if (move.kind === 'call') next.failedAttempts = move.outcome === 'tersambung' ? 0 : s.failedAttempts + 1;
  if (move.kind === 'reopen') next.failedAttempts = 0;
  return next;
}

const moves: fc.Arbitrary<Move> = fc.oneof(
  fc.constant<Move>({ kind: 'note' }),
  fc.constant<Move>({ kind: 'inform' }),
  fc.constant<Move>({ kind: 'telkom_answer' }),
  fc.constant<Move>({ kind: 'callback_due' }),
  fc.constant<Move>({ kind: 'take_over' }),
  fc.constant<Move>({ kind: 'reopen' }),
  fc.constantFrom(...CALL_OUTCOMES).map((outcome): Move => ({ kind: 'call', outcome })),
  fc.constantFrom(...ESCALATION_LEVELS).map((level): Move => ({ kind: 'request_escalation', level })),
  fc
    .tuple(fc.constantFrom('approved' as const, 'rejected' as const), fc.constantFrom(...ESCALATION_LEVELS))
    .map(([decision, level]): Move => ({ kind: 'decide_escalation', decision, level })),
  fc.constantFrom('ok' as const, 'gagal' as const).map((result): Move => ({ kind: 'confirm', result })),
  fc
    .tuple(
      fc.constantFrom('standard', 'no_contact', 'duplicate', 'cancelled') as fc.Arbitrary<
        'standard' | 'no_contact' | 'duplicate' | 'cancelled'
      >,
      fc.boolean(),
    )
    .map(([path, offer]): Move => ({ kind: 'close', path, offer, maxAttempts: 3 })),
);

describe('the ticket state machine (src/domain/ticket-state.ts)', () => {
  it('P5.12 a closed ticket refuses every move but an explicit reopen', () => {
    const closed = { ...fresh(), status: 'confirmed' };
    const after = apply(closed, { kind: 'close', path: 'standard', offer: true, maxAttempts: 3 }, new Date());
    for (const move of [
      { kind: 'decide_escalation', decision: 'approved', level: 'spv' },
      { kind: 'note' },
      { kind: 'confirm', result: 'gagal' },
      { kind: 'call', outcome: 'tersambung' },
    ] as Move[])
      expect(refusal(after, move)).toBe('conflict err.closed');
    expect(apply(after, { kind: 'reopen' }, new Date())).toMatchObject({ status: 'open', closedAt: null });
  });

  it('P5.11, P5.7 closing names the confirmation first, then the offer', () => {
    const close = (offer: boolean): Move => ({ kind: 'close', path: 'standard', offer, maxAttempts: 3 });
    expect(refusal(fresh(), close(true))).toBe('conflict err.needConfirmation');
    expect(refusal({ ...fresh(), status: 'confirmed' }, close(false))).toBe('conflict err.needOffer');
    expect(refusal({ ...fresh(), status: 'confirmed' }, close(true))).toBeNull();
  });

  it('P5.10 the level only goes up: a lower approval after Telkom keeps Telkom', () => {
    const telkom = { ...fresh(), status: 'escalated', escalationLevel: 'telkom' };
    expect(decide(telkom, { kind: 'decide_escalation', decision: 'approved', level: 'tl' }).escalationLevel).toBe(
      'telkom',
    );
    expect(refusal(telkom, { kind: 'request_escalation', level: 'tl' })).toBe('conflict err.levelNotHigher');
  });

  it('P5.6 a ticket handed to Telkom waits on Telkom until their answer', () => {
    const at = new Date();
    const handed = apply(fresh(), { kind: 'decide_escalation', decision: 'approved', level: 'telkom' }, at);
    expect(handed).toMatchObject({ pauseReason: 'telkom', pausedSince: at });
    // A call does not end a wait on Telkom; Telkom's answer does.
    expect(apply(handed, { kind: 'call', outcome: 'tersambung' }, at).pauseReason).toBe('telkom');
    expect(apply(handed, { kind: 'telkom_answer' }, at).pausedSince).toBeNull();
  });

  it('TIDAK-TERHUBUNG needs the failed attempts, and no confirmation', () => {
    const noContact: Move = { kind: 'close', path: 'no_contact', offer: false, maxAttempts: 3 };
    expect(refusal({ ...fresh(), failedAttempts: 2 }, noContact)).toBe('conflict err.needAttempts');
    expect(decide({ ...fresh(), failedAttempts: 3 }, noContact).status).toBe('closed');
  });

  it('invariants hold after any sequence of moves, and a refused move is refused as a conflict', () => {
    fc.assert(
      fc.property(fc.array(moves, { maxLength: 40 }), (seq) => {
        let s = fresh();
        let pending = 0;
        let t = 0;
        for (const move of seq) {
          const at = new Date(1_800_000_000_000 + ++t * 60_000);
          const before = levelRank(s.escalationLevel);
          let outcome: ReturnType<typeof decide>;
          try {
            outcome = decide(s, move);
          } catch (err) {
            expect(err).toBeInstanceOf(DomainError);
            expect((err as DomainError).code).toBe('conflict');
            continue;
          }
          s = apply(s, move, at);
          if (move.kind === 'request_escalation' && pending === 0) pending = 1;
          if (move.kind === 'decide_escalation') pending = 0;
          if (outcome.cancelWaitingEscalation) pending = 0;
          expect(levelRank(s.escalationLevel)).toBeGreaterThanOrEqual(before);
          expect(stateViolations({ ...s, pendingEscalations: pending })).toEqual([]);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('card steps from the state machine', () => {
  const s = (over: Partial<TicketState>): TicketState => ({ ...fresh(), ...over });
  it('P5.12 close only once confirmed; confirm not twice; nothing on a closed ticket', () => {
    expect(nextSteps(s({}))).toEqual(['take_over', 'call', 'inform', 'confirm']);
    expect(nextSteps(s({ status: 'escalated', escalationLevel: 'tl' }))).toEqual([
      'take_over',
      'call',
      'inform',
      'confirm',
    ]);
    expect(nextSteps(s({ status: 'confirmed' }))).toEqual(['take_over', 'call', 'inform', 'close']);
    expect(nextSteps(s({ status: 'closed', closedAt: new Date() }))).toEqual([]);
    expect(CARD_STEPS).toHaveLength(5);
  });
});
