import { eq } from 'drizzle-orm';
import type { Core } from '../app.js';
import { tickets } from '../db/schema.js';
import { DomainError, invalid } from '../domain/errors.js';
import type { Actor } from '../domain/roles.js';
import { assertCanHandle, assertCanTakeOver, assertNotClosed, closeBlocker } from '../domain/ticket.js';
import { appendEvent } from './audit.js';
import { changeTicket } from './change.js';
import { mention, publicText, type Ticket, threadReply } from './present.js';
import { postInThread, refreshCard } from './ticket-store.js';

const MAX_TEXT = 2000;

function requireText(text: string | undefined, option = 'teks'): string {
  const value = text?.trim() ?? '';
  if (!value) throw invalid('err.required', { option });
  if (value.length > MAX_TEXT) throw invalid('err.tooLong', { option, max: MAX_TEXT });
  return value;
}

/** P5.8, A6: a coordination or work note, posted in the thread. */
export async function addNote(core: Core, actor: Actor, number: string, text: string | undefined): Promise<Ticket> {
  const note = requireText(text);
  return changeTicket(core, actor, number, async (tx, ticket, now) => {
    assertCanHandle(actor, ticket);
    assertNotClosed(ticket);
    const eventId = await appendEvent(tx, ticket.id, 'note', actor.userKey, now, { text: note });
    await postInThread(
      tx,
      ticket,
      threadReply(core, ticket, core.t('thread.note', { who: mention(actor.userKey), text: publicText(note) })),
      `ev:${eventId}`,
      now,
    );
    return ticket;
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
    assertNotClosed(ticket);
    const eventId = await appendEvent(tx, ticket.id, 'informed', actor.userKey, now, { text: message });
    const [updated] = await tx
      .update(tickets)
      .set({ lastInformedAt: now, updatedAt: now })
      .where(eq(tickets.id, ticket.id))
      .returning();
    await postInThread(
      tx,
      ticket,
      threadReply(core, ticket, core.t('thread.informed', { who: mention(actor.userKey), text: publicText(message) })),
      `ev:${eventId}`,
      now,
    );
    await refreshCard(core, tx, ticket.id, `card-edit:${eventId}`, now);
    return updated ?? ticket;
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
    const eventId = await appendEvent(tx, ticket.id, 'taken_over', actor.userKey, now, { from: ticket.assignee });
    const [updated] = await tx
      .update(tickets)
      .set({ assignee: actor.userKey, updatedAt: now })
      .where(eq(tickets.id, ticket.id))
      .returning();
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
    );
    await refreshCard(core, tx, ticket.id, `card-edit:${eventId}`, now);
    return { ticket: updated ?? ticket, previous: ticket.assignee };
  });
}

/** P5.11, A10: the customer's answer on the result; `gagal` sends the ticket back to handling. */
export async function confirmResult(
  core: Core,
  actor: Actor,
  number: string,
  result: string | undefined,
  text?: string,
): Promise<Ticket> {
  const answer = result?.trim().toLowerCase();
  if (!answer) throw invalid('err.required', { option: 'hasil' });
  if (answer !== 'ok' && answer !== 'gagal') throw invalid('err.badResult', { option: 'hasil', value: answer });
  const note = text?.trim() ?? '';
  return changeTicket(core, actor, number, async (tx, ticket, now) => {
    assertCanHandle(actor, ticket);
    assertNotClosed(ticket);
    const status = answer === 'ok' ? 'confirmed' : ticket.escalationLevel ? 'escalated' : 'open';
    const eventId = await appendEvent(tx, ticket.id, 'confirmed', actor.userKey, now, { result: answer, text: note });
    const [updated] = await tx
      .update(tickets)
      .set({ status, updatedAt: now })
      .where(eq(tickets.id, ticket.id))
      .returning();
    const key = answer === 'ok' ? 'thread.confirmedOk' : 'thread.confirmedFailed';
    await postInThread(
      tx,
      ticket,
      threadReply(core, ticket, core.t(key, { who: mention(actor.userKey), text: publicText(note) })),
      `ev:${eventId}`,
      now,
    );
    await refreshCard(core, tx, ticket.id, `card-edit:${eventId}`, now);
    return updated ?? ticket;
  });
}

export interface CloseInput {
  offer: boolean;
  code?: string;
}

/** P5.12, A13: closing needs the customer's `ok` (P5.11) and the standard offer of more help (P5.7, A11). */
export async function closeTicket(core: Core, actor: Actor, number: string, input: CloseInput): Promise<Ticket> {
  const code = input.code?.trim().toUpperCase();
  if (code !== undefined && !/^[A-Z0-9][A-Z0-9_.-]{0,31}$/.test(code))
    throw invalid('err.badCode', { option: 'kode', value: input.code ?? '' });
  return changeTicket(core, actor, number, async (tx, ticket, now) => {
    assertCanHandle(actor, ticket);
    assertNotClosed(ticket);
    const blocker = closeBlocker(ticket, input.offer);
    if (blocker === 'confirmation')
      throw new DomainError('conflict', 'err.needConfirmation', { ticket: ticket.number });
    if (blocker === 'offer') throw new DomainError('conflict', 'err.needOffer', { ticket: ticket.number });
    const eventId = await appendEvent(tx, ticket.id, 'closed', actor.userKey, now, {
      offer: true,
      code: code ?? null,
      withinSla: now <= ticket.slaDueAt,
    });
    const [updated] = await tx
      .update(tickets)
      .set({ status: 'closed', closedAt: now, resolutionCode: code ?? null, updatedAt: now })
      .where(eq(tickets.id, ticket.id))
      .returning();
    await postInThread(
      tx,
      ticket,
      threadReply(core, ticket, core.t('thread.closed', { who: mention(actor.userKey), code: code ?? '-' })),
      `ev:${eventId}`,
      now,
    );
    await refreshCard(core, tx, ticket.id, `card-edit:${eventId}`, now);
    return updated ?? ticket;
  });
}
