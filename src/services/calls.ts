import type { Core } from '../app.js';
import { invalid } from '../domain/errors.js';
import type { Actor } from '../domain/roles.js';
import { assertCanHandle } from '../domain/ticket.js';
import { CALL_OUTCOMES, type CallOutcome, FAILED_CALLS } from '../domain/ticket-state.js';
import type { MessageKey } from '../i18n/index.js';
import type { ReplyTime } from '../reply.js';
import { scheduleCallback } from './callback.js';
import { changeTicket } from './change.js';
import { formatTimeIn, mention, publicText, type Ticket, threadReply } from './present.js';
import { postInThread } from './ticket-store.js';
import { applyChange } from './transition.js';

export interface CallInput {
  outcome?: string;
  /** `jam=14.00`: when the customer asked to be called back (or the agent will try again). */
  time?: string;
  zone?: string;
  text?: string;
}

export interface CallResult {
  ticket: Ticket;
  outcome: CallOutcome;
  /** Failed attempts that count toward TIDAK-TERHUBUNG, after this one. */
  attempts: number;
  /** This failed attempt came too soon after the last counted one to count. */
  tooSoon: boolean;
  callbackAt: Date | null;
  /** The callback time fell outside working hours or on a holiday and was moved. */
  moved: boolean;
}

/**
 * One outbound call attempt (the SOP is for outbound agents). A connected call informs the customer
 * (P5.9); a failed one, or a requested callback, stops the SLA clock until the customer is back in
 * touch; POSKO_MAX_ATTEMPTS failed attempts at least POSKO_ATTEMPT_SPACING_MINUTES apart let the
 * ticket close as TIDAK-TERHUBUNG.
 */
export async function callCustomer(core: Core, actor: Actor, number: string, input: CallInput): Promise<CallResult> {
  const outcome = input.outcome?.trim().toLowerCase() as CallOutcome;
  if (!input.outcome?.trim()) throw invalid('err.required', { option: 'hasil' });
  if (!CALL_OUTCOMES.includes(outcome))
    throw invalid('err.badChoice', { option: 'hasil', allowed: CALL_OUTCOMES.join(', ') });
  if (outcome === 'minta-dihubungi-lagi' && !input.time?.trim()) throw invalid('err.required', { option: 'jam' });
  if (outcome === 'tersambung' && input.time !== undefined) throw invalid('err.timeNotForConnected', { option: 'jam' });
  const note = input.text?.trim() ?? '';
  if (note.length > 1000) throw invalid('err.tooLong', { option: 'teks', max: 1000 });

  return changeTicket(core, actor, number, async (tx, ticket, now) => {
    assertCanHandle(actor, ticket);
    const failed = FAILED_CALLS.includes(outcome);
    const spacing = core.config.POSKO_ATTEMPT_SPACING_MINUTES * 60_000;
    const tooSoon =
      failed && ticket.lastFailedAttemptAt !== null && now.getTime() - ticket.lastFailedAttemptAt.getTime() < spacing;
    const counted = failed && !tooSoon;
    const attempts = outcome === 'tersambung' ? 0 : ticket.failedAttempts + (counted ? 1 : 0);
    const callback = input.time ? scheduleCallback(core, ticket, input.time, input.zone, now) : null;

    const { ticket: after, eventId } = await applyChange(
      core,
      tx,
      ticket,
      {
        move: { kind: 'call', outcome },
        event: {
          type: 'call_attempt',
          payload: {
            outcome,
            counted,
            attempts,
            callbackAt: callback?.at.toISOString() ?? null,
            zone: callback?.zone ?? null,
            text: note,
          },
        },
        actor: actor.userKey,
        set: {
          failedAttempts: attempts,
          ...(counted ? { lastFailedAttemptAt: now } : {}),
          ...(outcome === 'tersambung' ? { lastInformedAt: now, lastFailedAttemptAt: null, callbackAt: null } : {}),
          ...(callback ? { callbackAt: callback.at, customerZone: callback.zone } : {}),
        },
      },
      now,
    );
    const max = core.config.POSKO_MAX_ATTEMPTS;
    const parts = [
      core.t('thread.call', {
        who: mention(actor.userKey),
        outcome: core.t(`call.${outcome}` as MessageKey),
      }),
    ];
    if (failed) parts.push(core.t(counted ? 'thread.callAttempts' : 'thread.callTooSoon', { n: attempts, max }));
    const times: ReplyTime[] = [];
    if (callback) {
      const at = {
        unix: Math.floor(callback.at.getTime() / 1000),
        text: formatTimeIn(core, callback.at, callback.zone),
      };
      times.push(at);
      parts.push(core.t('thread.callback', { at: at.text }));
    }
    if (note) parts.push(publicText(note, ticket));
    await postInThread(
      tx,
      ticket,
      threadReply(core, ticket, parts.join(' · '), times.length ? { times } : {}),
      `ev:${eventId}`,
      now,
      actor.userKey,
    );
    return {
      ticket: after,
      outcome,
      attempts,
      tooSoon,
      callbackAt: callback?.at ?? null,
      moved: callback?.moved ?? false,
    };
  });
}
