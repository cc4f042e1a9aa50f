import { eq } from 'drizzle-orm';
import type { Core } from '../app.js';
import type { Tx } from '../db/index.js';
import { escalations, tickets } from '../db/schema.js';
import { DomainError, invalid } from '../domain/errors.js';
import type { Actor } from '../domain/roles.js';
import {
  assertCanDecide,
  assertCanHandle,
  assertNotClosed,
  ESCALATION_LEVELS,
  type EscalationLevel,
} from '../domain/ticket.js';
import type { MessageKey } from '../i18n/index.js';
import { enqueue } from '../outbox/enqueue.js';
import type { Reply } from '../reply.js';
import { appendEvent } from './audit.js';
import { changeTicket } from './change.js';
import { type Escalation, formatTime, mention, publicText, type Ticket } from './present.js';
import { leadersOf, supervisors } from './roster.js';
import { pendingEscalation, refreshCard } from './ticket-store.js';

/** Who may decide a request at this level: the mentions on the request (P5.10). */
export async function approversFor(db: Pick<Tx, 'select'>, ticket: Ticket, level: string): Promise<string[]> {
  const spvs = await supervisors(db);
  return level === 'tl' ? [...(await leadersOf(db, ticket.team)), ...spvs] : spvs;
}

/** The request message in the thread: approve/reject buttons while it waits, the decision after. */
export function requestMessage(core: Core, ticket: Ticket, e: Escalation, approvers: string[]): Reply {
  const { t } = core;
  const level = t(`level.${e.level}` as MessageKey);
  const base = t('thread.escalationRequested', { who: mention(e.requestedBy), level, reason: publicText(e.reason) });
  if (e.status === 'pending') {
    return {
      audience: 'thread',
      ticket: ticket.number,
      error: null,
      text: `${ticket.number} · ${base} ${approvers.length ? t('thread.escalationWho', { who: approvers.map(mention).join(' ') }) : t('thread.escalationNobody')}`,
      mentions: approvers,
      buttons: [
        {
          actionId: 'escalation.approve',
          label: t('button.approve'),
          command: `setujui ${ticket.number} permintaan=${e.id}`,
          style: 'primary',
        },
        {
          actionId: 'escalation.reject',
          label: t('button.reject'),
          command: `tolak ${ticket.number} permintaan=${e.id}`,
          style: 'danger',
          form: {
            command: 'tolak',
            title: t('form.rejectTitle', { ticket: ticket.number }),
            fields: [{ name: 'teks', label: t('form.rejectReason'), kind: 'long_text', required: true }],
          },
        },
      ],
    };
  }
  const decided = t(`decision.${e.status}` as MessageKey, {
    who: e.decidedBy ? mention(e.decidedBy) : 'posko',
    at: e.decidedAt ? formatTime(core, e.decidedAt) : '',
    note: e.decisionNote ? publicText(e.decisionNote) : '',
  });
  return {
    audience: 'thread',
    ticket: ticket.number,
    error: null,
    text: `${ticket.number} · ${base}\n${decided}`,
    mentions: [],
  };
}

/** P5.6, P5.10, A7: ask for escalation; one pending request per ticket. */
export async function requestEscalation(
  core: Core,
  actor: Actor,
  number: string,
  levelRaw: string | undefined,
  reasonRaw: string | undefined,
) {
  const level = (levelRaw?.trim().toLowerCase() || 'tl') as EscalationLevel;
  if (!ESCALATION_LEVELS.includes(level)) throw invalid('err.badLevel', { option: 'ke', value: levelRaw ?? '' });
  const reason = reasonRaw?.trim() ?? '';
  if (!reason) throw invalid('err.required', { option: 'teks' });
  if (reason.length > 1000) throw invalid('err.tooLong', { option: 'teks', max: 1000 });
  return changeTicket(core, actor, number, async (tx, ticket, now) => {
    assertCanHandle(actor, ticket);
    assertNotClosed(ticket);
    if (ticket.status === 'confirmed')
      throw new DomainError('conflict', 'err.alreadyConfirmed', { ticket: ticket.number });
    if (await pendingEscalation(tx, ticket.id))
      throw new DomainError('conflict', 'err.escalationPending', { ticket: ticket.number });
    const [created] = await tx
      .insert(escalations)
      .values({ ticketId: ticket.id, level, reason, requestedBy: actor.userKey, requestedAt: now })
      .onConflictDoNothing()
      .returning();
    if (!created) throw new DomainError('conflict', 'err.escalationPending', { ticket: ticket.number });
    const eventId = await appendEvent(tx, ticket.id, 'escalation_requested', actor.userKey, now, {
      level,
      text: reason,
      escalationId: created.id,
    });
    const approvers = await approversFor(tx, ticket, level);
    await enqueue(tx, {
      dedupeKey: `esc:${created.id}`,
      platform: ticket.platform,
      channel: ticket.channel,
      message: {
        kind: 'post',
        reply: requestMessage(core, ticket, created, approvers),
        threadOfTicket: ticket.id,
        track: { escalation: created.id },
      },
      at: now,
    });
    await refreshCard(core, tx, ticket.id, `card-edit:${eventId}`, now);
    return { ticket, escalation: created, approvers };
  });
}

export type Decision = 'approved' | 'rejected';

/** P5.10: a team leader of the team or a supervisor decides; never the requester; Telkom needs a supervisor. */
export async function decideEscalation(
  core: Core,
  actor: Actor,
  number: string,
  decision: Decision,
  opts: { note?: string; requestId?: string } = {},
) {
  const note = opts.note?.trim() ?? '';
  if (decision === 'rejected' && !note) throw invalid('err.required', { option: 'teks' });
  if (opts.requestId !== undefined && !/^\d{1,15}$/.test(opts.requestId))
    throw invalid('err.badRequestId', { option: 'permintaan', value: opts.requestId });
  return changeTicket(core, actor, number, async (tx, ticket, now) => {
    const pending = await pendingEscalation(tx, ticket.id);
    if (!pending || (opts.requestId !== undefined && String(pending.id) !== opts.requestId)) {
      throw await noLongerWaiting(core, tx, ticket, opts.requestId);
    }
    assertCanDecide(actor, ticket, pending);
    const [decided] = await tx
      .update(escalations)
      .set({ status: decision, decidedBy: actor.userKey, decidedAt: now, decisionNote: note || null })
      .where(eq(escalations.id, pending.id))
      .returning();
    if (!decided) throw new DomainError('conflict', 'err.nothingPending', { ticket: ticket.number });
    const eventId = await appendEvent(
      tx,
      ticket.id,
      decision === 'approved' ? 'escalation_approved' : 'escalation_rejected',
      actor.userKey,
      now,
      {
        level: pending.level,
        escalationId: pending.id,
        text: note,
      },
    );
    let updated = ticket;
    if (decision === 'approved') {
      const [row] = await tx
        .update(tickets)
        .set({ status: 'escalated', escalationLevel: pending.level, updatedAt: now })
        .where(eq(tickets.id, ticket.id))
        .returning();
      updated = row ?? ticket;
    }
    await closeRequest(core, tx, ticket, decided, eventId, now);
    return { ticket: updated, escalation: decided };
  });
}

/**
 * After a decision or an expiry: the request message loses its buttons and says what happened
 * (an edit in place, not a new message), and the card shows the ticket's new state.
 */
export async function closeRequest(
  core: Core,
  tx: Tx,
  ticket: Ticket,
  e: Escalation,
  eventId: number,
  now: Date,
): Promise<void> {
  await enqueue(tx, {
    dedupeKey: `esc-edit:${eventId}`,
    platform: ticket.platform,
    channel: ticket.channel,
    message: { kind: 'edit', reply: requestMessage(core, ticket, e, []), target: { escalation: e.id } },
    at: now,
  });
  await refreshCard(core, tx, ticket.id, `card-edit:${eventId}`, now);
}

/** A second click or a stale button: say who decided it and when, change nothing. */
async function noLongerWaiting(core: Core, tx: Tx, ticket: Ticket, requestId?: string): Promise<DomainError> {
  if (requestId !== undefined) {
    const [e] = await tx
      .select()
      .from(escalations)
      .where(eq(escalations.id, Number(requestId)));
    if (e && e.ticketId === ticket.id && e.status !== 'pending')
      return new DomainError('conflict', 'err.alreadyDecided', {
        ticket: ticket.number,
        decision: core.t(`status.escalation.${e.status}` as MessageKey),
        who: e.decidedBy ? mention(e.decidedBy) : 'posko',
        at: e.decidedAt ? formatTime(core, e.decidedAt) : '',
      });
  }
  return new DomainError('conflict', 'err.nothingPending', { ticket: ticket.number });
}
