import { and, eq, isNull, ne } from 'drizzle-orm';
import type { Core } from '../app.js';
import type { Tx } from '../db/index.js';
import { ticketEvents, tickets } from '../db/schema.js';
import { DomainError, invalid } from '../domain/errors.js';
import { maskPhone } from '../domain/mask.js';
import { normaliseIndonesianPhone } from '../domain/phone.js';
import type { Actor } from '../domain/roles.js';
import { parseSatisfaction, SATISFACTION_SCORES } from '../domain/satisfaction.js';
import { isQueue, isServiceLine } from '../domain/service-lines.js';
import { effectiveDueAt, slaDueAt } from '../domain/sla.js';
import { assertCanHandle, assertCanReopen, assertCanTakeOver } from '../domain/ticket.js';
import { normaliseTicketNumber } from '../domain/ticket-number.js';
import { CANCELLED_CODE, type ClosePath, DUPLICATE_CODE, NO_CONTACT_CODE } from '../domain/ticket-state.js';
import { changeTicket } from './change.js';
import { mention, publicText, type Ticket, threadReply } from './present.js';
import { postInThread, sameCustomer } from './ticket-store.js';
import { applyChange } from './transition.js';

const MAX_TEXT = 2000;

type Reader = Pick<Tx, 'select'>;

export function requireText(text: string | undefined, option = 'teks'): string {
  const value = text?.trim() ?? '';
  if (!value) throw invalid('err.required', { option });
  if (value.length > MAX_TEXT) throw invalid('err.tooLong', { option, max: MAX_TEXT });
  return value;
}

/**
 * P5.8, A6: a coordination or work note, posted in the thread. `dari=telkom` records Telkom's
 * answer on a ticket handed to them: the SLA clock runs again and the ticket is back with its agent.
 */
export async function addNote(
  core: Core,
  actor: Actor,
  number: string,
  text: string | undefined,
  from?: string,
): Promise<Ticket> {
  const note = requireText(text);
  const fromTelkom = from?.trim().toLowerCase() === 'telkom';
  if (from !== undefined && !fromTelkom) throw invalid('err.badFrom', { option: 'dari', value: from.slice(0, 20) });
  return changeTicket(core, actor, number, async (tx, ticket, now) => {
    assertCanHandle(actor, ticket);
    const { ticket: after, eventId } = await applyChange(
      core,
      tx,
      ticket,
      {
        move: { kind: fromTelkom ? 'telkom_answer' : 'note' },
        event: { type: fromTelkom ? 'telkom_answer' : 'note', payload: { text: note, ref: ticket.telkomRef } },
        actor: actor.userKey,
      },
      now,
    );
    const line = fromTelkom
      ? core.t('thread.telkomAnswer', {
          who: mention(actor.userKey),
          assignee: mention(ticket.assignee),
          ref: ticket.telkomRef ?? '-',
          text: publicText(note, ticket),
        })
      : core.t('thread.note', { who: mention(actor.userKey), text: publicText(note, ticket) });
    const mentions = fromTelkom ? [ticket.assignee] : [];
    await postInThread(tx, ticket, threadReply(core, ticket, line, { mentions }), `ev:${eventId}`, now, actor.userKey);
    return after;
  });
}

/** P5.9, A8: the customer was told how the repair is going. */
export async function informCustomer(
  core: Core,
  actor: Actor,
  number: string,
  text: string | undefined,
): Promise<Ticket> {
  const message = requireText(text);
  return changeTicket(core, actor, number, async (tx, ticket, now) => {
    assertCanHandle(actor, ticket);
    const { ticket: after, eventId } = await applyChange(
      core,
      tx,
      ticket,
      {
        move: { kind: 'inform' },
        event: { type: 'informed', payload: { text: message } },
        actor: actor.userKey,
        set: { lastInformedAt: now },
      },
      now,
    );
    await postInThread(
      tx,
      ticket,
      threadReply(
        core,
        ticket,
        core.t('thread.informed', { who: mention(actor.userKey), text: publicText(message, ticket) }),
      ),
      `ev:${eventId}`,
      now,
      actor.userKey,
    );
    return after;
  });
}

/** P5.6: a team leader or supervisor takes the ticket over; it becomes theirs to handle. */
export async function takeOver(
  core: Core,
  actor: Actor,
  number: string,
): Promise<{ ticket: Ticket; previous: string }> {
  return changeTicket(core, actor, number, async (tx, ticket, now) => {
    assertCanTakeOver(actor, ticket);
    const { ticket: after, eventId } = await applyChange(
      core,
      tx,
      ticket,
      {
        move: { kind: 'take_over' },
        event: { type: 'taken_over', payload: { from: ticket.assignee } },
        actor: actor.userKey,
        set: { assignee: actor.userKey },
      },
      now,
    );
    await postInThread(
      tx,
      ticket,
      threadReply(
        core,
        ticket,
        core.t('thread.takenOver', { who: mention(actor.userKey), from: mention(ticket.assignee) }),
        { mentions: [ticket.assignee] },
      ),
      `ev:${eventId}`,
      now,
      actor.userKey,
    );
    return { ticket: after, previous: ticket.assignee };
  });
}

/**
 * P5.11, A10: the customer's answer on the result; `gagal` sends the ticket back to handling. The
 * SLA is judged here (A7): met when the customer confirmed before the due time, paused time left out.
 */
export async function confirmResult(
  core: Core,
  actor: Actor,
  number: string,
  result: string | undefined,
  text?: string,
  /** `puas=1..5`: the customer's rating given on the call (optional). */
  satisfaction?: string,
): Promise<Ticket> {
  const answer = result?.trim().toLowerCase();
  if (!answer) throw invalid('err.required', { option: 'hasil' });
  if (answer !== 'ok' && answer !== 'gagal') throw invalid('err.badResult', { option: 'hasil', value: answer });
  const rating = satisfaction === undefined ? null : parseSatisfaction(satisfaction);
  if (rating === undefined) throw invalid('err.badChoice', { option: 'puas', allowed: SATISFACTION_SCORES.join(', ') });
  const note = text?.trim() ?? '';
  return changeTicket(core, actor, number, async (tx, ticket, now) => {
    assertCanHandle(actor, ticket);
    const slaMet = now <= effectiveDueAt(ticket.slaDueAt, ticket.pausedSince, now);
    const { ticket: after, eventId } = await applyChange(
      core,
      tx,
      ticket,
      {
        move: { kind: 'confirm', result: answer },
        event: {
          type: 'confirmed',
          payload: { result: answer, text: note, slaMet, ...(rating === null ? {} : { rating }) },
        },
        actor: actor.userKey,
        // Talking to the customer about the result informs them (P5.9); the callback is done.
        set: { lastInformedAt: now, callbackAt: null },
      },
      now,
    );
    const key = answer === 'ok' ? 'thread.confirmedOk' : 'thread.confirmedFailed';
    await postInThread(
      tx,
      ticket,
      threadReply(core, ticket, core.t(key, { who: mention(actor.userKey), text: publicText(note, ticket) })),
      `ev:${eventId}`,
      now,
      actor.userKey,
    );
    return after;
  });
}

export interface CloseInput {
  offer: boolean;
  code?: string;
  /** `kode=DUPLIKAT tiket=…`: the primary ticket. */
  primary?: string;
  text?: string;
}

function closePath(code: string | undefined): ClosePath {
  if (code === NO_CONTACT_CODE) return 'no_contact';
  if (code === DUPLICATE_CODE) return 'duplicate';
  if (code === CANCELLED_CODE) return 'cancelled';
  return 'standard';
}

/**
 * P5.12, A13: closing. The standard path needs the customer's `ok` (P5.11) and the offer of more
 * help (P5.7, A11). The exceptions each have their own rule: TIDAK-TERHUBUNG after
 * POSKO_MAX_ATTEMPTS failed calls; DUPLIKAT names its primary ticket of the same customer and
 * service; BATAL (the customer cancels) needs the customer's reason and the standard offer.
 */
export async function closeTicket(core: Core, actor: Actor, number: string, input: CloseInput): Promise<Ticket> {
  const code = input.code?.trim().toUpperCase();
  if (code !== undefined && !/^[A-Z0-9][A-Z0-9_.-]{0,31}$/.test(code))
    throw invalid('err.badCode', { option: 'kode', value: input.code ?? '' });
  const path = closePath(code);
  const reason = input.text?.trim() ?? '';
  if (path === 'cancelled' && !reason) throw invalid('err.required', { option: 'teks' });
  if (path === 'duplicate' && !input.primary) throw invalid('err.required', { option: 'tiket' });
  if (input.primary !== undefined && path !== 'duplicate')
    throw invalid('err.primaryOnlyDuplicate', { option: 'tiket' });
  return changeTicket(core, actor, number, async (tx, ticket, now) => {
    assertCanHandle(actor, ticket);
    // BATAL ends the conversation too: the standard offer comes first (P5.7).
    if (path === 'cancelled' && !input.offer)
      throw new DomainError('conflict', 'err.needOffer', { ticket: ticket.number });
    const primary = path === 'duplicate' ? await duplicatePrimary(tx, ticket, input.primary ?? '') : null;
    const judged = path === 'standard' ? await slaMetAtConfirmation(tx, ticket.id) : null;
    const withinSla = judged ?? now <= effectiveDueAt(ticket.slaDueAt, ticket.pausedSince, now);
    const { ticket: after, eventId } = await applyChange(
      core,
      tx,
      ticket,
      {
        move: { kind: 'close', path, offer: input.offer, maxAttempts: core.config.POSKO_MAX_ATTEMPTS },
        event: {
          type: 'closed',
          payload: {
            offer: input.offer,
            code: code ?? null,
            path,
            withinSla,
            text: reason,
            attempts: ticket.failedAttempts,
            primary: primary?.number ?? null,
          },
        },
        actor: actor.userKey,
        set: { resolutionCode: code ?? null, duplicateOf: primary?.id ?? null, callbackAt: null },
      },
      now,
    );
    const line =
      path === 'duplicate'
        ? core.t('thread.closedDuplicate', { who: mention(actor.userKey), primary: primary?.number ?? '-' })
        : path === 'no_contact'
          ? core.t('thread.closedNoContact', { who: mention(actor.userKey), attempts: ticket.failedAttempts })
          : path === 'cancelled'
            ? core.t('thread.closedCancelled', { who: mention(actor.userKey), text: publicText(reason, ticket) })
            : core.t('thread.closed', { who: mention(actor.userKey), code: code ?? '-' });
    await postInThread(tx, ticket, threadReply(core, ticket, line), `ev:${eventId}`, now, actor.userKey);
    if (primary)
      await postInThread(
        tx,
        primary,
        threadReply(core, primary, core.t('thread.duplicateOfThis', { ticket: ticket.number })),
        `dup:${eventId}`,
        now,
        actor.userKey,
      );
    return after;
  });
}

/** The standard close is judged at the customer's last `ok` (A7), not at the moment of closing. */
async function slaMetAtConfirmation(tx: Reader, ticketId: number): Promise<boolean | null> {
  const rows = await tx
    .select({ payload: ticketEvents.payload })
    .from(ticketEvents)
    .where(and(eq(ticketEvents.ticketId, ticketId), eq(ticketEvents.type, 'confirmed')))
    .orderBy(ticketEvents.id);
  const last = rows.filter((r) => r.payload.result === 'ok').at(-1);
  return typeof last?.payload.slaMet === 'boolean' ? last.payload.slaMet : null;
}

async function duplicatePrimary(tx: Reader, ticket: Ticket, raw: string): Promise<Ticket> {
  const number = normaliseTicketNumber(raw);
  if (!number) throw invalid('err.badTicket', { option: 'tiket', value: raw.slice(0, 20) });
  const [primary] = await tx.select().from(tickets).where(eq(tickets.number, number));
  if (!primary) throw new DomainError('not_found', 'err.noTicket', { ticket: number });
  if (primary.id === ticket.id || primary.service !== ticket.service || primary.customerId !== ticket.customerId)
    throw new DomainError('conflict', 'err.notDuplicate', { ticket: ticket.number, primary: number });
  return primary;
}

/**
 * Reopening a closed ticket (`buka-lagi`): the only way a closed ticket changes. The history stays;
 * the reopen counts as a repeat contact and starts a fresh SLA clock.
 */
export async function reopenTicket(
  core: Core,
  actor: Actor,
  number: string,
  text: string | undefined,
): Promise<Ticket> {
  const reason = requireText(text);
  return changeTicket(core, actor, number, async (tx, ticket, now) => {
    if (ticket.status !== 'closed') throw new DomainError('conflict', 'err.notClosed', { ticket: ticket.number });
    // UU PDP: the customer's values are gone; a new contact is a new ticket (`buka`).
    if (ticket.erasedAt) throw new DomainError('conflict', 'err.erased', { ticket: ticket.number });
    assertCanReopen(actor, ticket, now, core.config.POSKO_REOPEN_DAYS);
    if (ticket.relatedTo === null) {
      // P5.3: one open ticket per customer and service line; a newer one holds the repeats now.
      const [other] = await tx
        .select({ number: tickets.number })
        .from(tickets)
        .where(
          and(sameCustomer(ticket.service, ticket.customerId), ne(tickets.status, 'closed'), isNull(tickets.relatedTo)),
        );
      if (other) throw new DomainError('conflict', 'err.reopenHasOpen', { ticket: ticket.number, open: other.number });
    }
    const service = isServiceLine(ticket.service) ? ticket.service : 'indihome';
    const queue = isQueue(ticket.queue) ? ticket.queue : 'reguler';
    const { ticket: after, eventId } = await applyChange(
      core,
      tx,
      ticket,
      {
        move: { kind: 'reopen' },
        event: { type: 'reopened', payload: { text: reason, count: ticket.repeatCount + 1 } },
        actor: actor.userKey,
        set: {
          repeatCount: ticket.repeatCount + 1,
          slaDueAt: slaDueAt(core.sla, service, queue, now),
          resolutionCode: null,
          duplicateOf: null,
          failedAttempts: 0,
          lastFailedAttemptAt: null,
          callbackAt: null,
        },
      },
      now,
    );
    await postInThread(
      tx,
      ticket,
      threadReply(
        core,
        ticket,
        core.t('thread.reopened', { who: mention(actor.userKey), text: publicText(reason, ticket) }),
        {
          mentions: ticket.assignee === actor.userKey ? [] : [ticket.assignee],
        },
      ),
      `ev:${eventId}`,
      now,
      actor.userKey,
    );
    return after;
  });
}

/** P5.2, P5.3: the customer gave another number on a repeat contact; the handler takes it as the contact. */
export async function updateContact(
  core: Core,
  actor: Actor,
  number: string,
  raw: string | undefined,
): Promise<Ticket> {
  if (!raw?.trim()) throw invalid('err.required', { option: 'kontak' });
  const contact = normaliseIndonesianPhone(raw);
  if (!contact) throw invalid('err.badPhone', { option: 'kontak', value: raw.trim().slice(0, 20) });
  return changeTicket(core, actor, number, async (tx, ticket, now) => {
    assertCanHandle(actor, ticket);
    if (contact === ticket.contact) throw new DomainError('conflict', 'err.sameContact', { ticket: ticket.number });
    const { ticket: after, eventId } = await applyChange(
      core,
      tx,
      ticket,
      {
        move: { kind: 'note' },
        event: { type: 'contact_updated', payload: { text: maskPhone(contact) } },
        actor: actor.userKey,
        set: { contact },
        refreshCard: true,
      },
      now,
    );
    const text = core.t('thread.contactUpdated', { who: mention(actor.userKey), contact: maskPhone(contact) });
    await postInThread(tx, ticket, threadReply(core, ticket, text), `ev:${eventId}`, now, actor.userKey);
    return after;
  });
}
