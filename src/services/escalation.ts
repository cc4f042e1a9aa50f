import { and, eq } from 'drizzle-orm';
import type { Core } from '../app.js';
import type { Tx } from '../db/index.js';
import { escalations } from '../db/schema.js';
import { DomainError, invalid } from '../domain/errors.js';
import type { Actor } from '../domain/roles.js';
import { assertCanDecide, assertCanHandle } from '../domain/ticket.js';
import { decide, ESCALATION_LEVELS, type EscalationLevel } from '../domain/ticket-state.js';
import type { MessageKey } from '../i18n/index.js';
import { enqueue } from '../outbox/enqueue.js';
import { changeTicket } from './change.js';
import { closeRequest, requestMessage } from './escalation-message.js';
import { type Escalation, formatTime, mention, type Ticket, threadReply } from './present.js';
import { leadersOf, supervisors } from './roster.js';
import { pendingEscalation, postInThread } from './ticket-store.js';
import { applyChange } from './transition.js';

/** Who may decide a request at this level: the mentions on the request (P5.10). */
export async function approversFor(db: Pick<Tx, 'select'>, ticket: Ticket, level: string): Promise<string[]> {
  const spvs = await supervisors(db);
  return level === 'tl' ? [...(await leadersOf(db, ticket.team)), ...spvs] : spvs;
}

const TELKOM_REF = /^[A-Za-z0-9][A-Za-z0-9/_.-]{2,39}$/;

function telkomRef(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const ref = raw.trim();
  if (!TELKOM_REF.test(ref)) throw invalid('err.badRef', { option: 'ref', value: ref.slice(0, 40) });
  return ref;
}

/** P5.6, P5.10, A7: ask for escalation; one pending request per ticket, and only to a higher level. */
export async function requestEscalation(
  core: Core,
  actor: Actor,
  number: string,
  levelRaw: string | undefined,
  reasonRaw: string | undefined,
  refRaw?: string,
) {
  const level = (levelRaw?.trim().toLowerCase() || 'tl') as EscalationLevel;
  if (!ESCALATION_LEVELS.includes(level)) throw invalid('err.badLevel', { option: 'ke', value: levelRaw ?? '' });
  const reason = reasonRaw?.trim() ?? '';
  if (!reason) throw invalid('err.required', { option: 'teks' });
  if (reason.length > 1000) throw invalid('err.tooLong', { option: 'teks', max: 1000 });
  const ref = telkomRef(refRaw);
  return changeTicket(core, actor, number, async (tx, ticket, now) => {
    assertCanHandle(actor, ticket);
    decide(ticket, { kind: 'request_escalation', level });
    if (await pendingEscalation(tx, ticket.id))
      throw new DomainError('conflict', 'err.escalationPending', { ticket: ticket.number });
    const [created] = await tx
      .insert(escalations)
      .values({ ticketId: ticket.id, level, reason, requestedBy: actor.userKey, requestedAt: now })
      .onConflictDoNothing()
      .returning();
    if (!created) throw new DomainError('conflict', 'err.escalationPending', { ticket: ticket.number });
    const { ticket: updated } = await applyChange(
      core,
      tx,
      ticket,
      {
        move: { kind: 'request_escalation', level },
        event: { type: 'escalation_requested', payload: { level, text: reason, escalationId: created.id, ref } },
        actor: actor.userKey,
        set: ref ? { telkomRef: ref } : {},
        refreshCard: true,
      },
      now,
    );
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
      requestedBy: actor.userKey,
    });
    return { ticket: updated, escalation: created, approvers };
  });
}

export type Decision = 'approved' | 'rejected';

/**
 * P5.10: a team leader of the team or a supervisor decides; never the requester; Telkom needs a
 * supervisor. A ticket handed to Telkom waits on Telkom (its SLA paused) until their answer.
 */
export async function decideEscalation(
  core: Core,
  actor: Actor,
  number: string,
  decision: Decision,
  opts: { note?: string; requestId?: string; ref?: string } = {},
) {
  const note = opts.note?.trim() ?? '';
  if (decision === 'rejected' && !note) throw invalid('err.required', { option: 'teks' });
  if (opts.requestId !== undefined && !/^\d{1,15}$/.test(opts.requestId))
    throw invalid('err.badRequestId', { option: 'permintaan', value: opts.requestId });
  const ref = telkomRef(opts.ref);
  return changeTicket(core, actor, number, async (tx, ticket, now) => {
    const pending = await pendingEscalation(tx, ticket.id);
    if (!pending || (opts.requestId !== undefined && String(pending.id) !== opts.requestId)) {
      throw await noLongerWaiting(core, tx, ticket, opts.requestId);
    }
    assertCanDecide(actor, ticket, pending);
    const level = pending.level as EscalationLevel;
    const [decided] = await tx
      .update(escalations)
      .set({ status: decision, decidedBy: actor.userKey, decidedAt: now, decisionNote: note || null })
      .where(eq(escalations.id, pending.id))
      .returning();
    if (!decided) throw new DomainError('conflict', 'err.nothingPending', { ticket: ticket.number });
    const { ticket: updated, eventId } = await applyChange(
      core,
      tx,
      ticket,
      {
        move: { kind: 'decide_escalation', decision, level },
        event: {
          type: decision === 'approved' ? 'escalation_approved' : 'escalation_rejected',
          payload: { level, escalationId: pending.id, text: note, ref },
        },
        actor: actor.userKey,
        set: ref && decision === 'approved' ? { telkomRef: ref } : {},
        refreshCard: true,
      },
      now,
    );
    await closeRequest(core, tx, ticket, decided, eventId, now, actor.userKey);
    return { ticket: updated, escalation: decided };
  });
}

/**
 * A request to the team leader unanswered for POSKO_ESCALATION_TIMEOUT_MINUTES moves up to the
 * supervisors: the system's act, audited, said once in the thread mentioning both, and the
 * request message edited in place so its buttons now ask the supervisors.
 */
export async function moveUpEscalation(core: Core, tx: Tx, ticket: Ticket, e: Escalation, now: Date) {
  const [moved] = await tx
    .update(escalations)
    .set({ level: 'spv', movedAt: now, lastRemindedAt: now })
    .where(and(eq(escalations.id, e.id), eq(escalations.status, 'pending'), eq(escalations.level, 'tl')))
    .returning();
  if (!moved) return null;
  const leaders = await leadersOf(tx, ticket.team);
  const spvs = await supervisors(tx);
  const minutes = core.config.POSKO_ESCALATION_TIMEOUT_MINUTES;
  const { eventId } = await applyChange(
    core,
    tx,
    ticket,
    {
      move: { kind: 'note' },
      event: { type: 'escalation_moved', payload: { from: 'tl', level: 'spv', escalationId: e.id, minutes } },
      actor: 'posko',
      refreshCard: true,
    },
    now,
  );
  const text = core.t('thread.escalationMoved', {
    leaders: leaders.map(mention).join(' ') || '-',
    spvs: spvs.map(mention).join(' ') || '-',
    minutes,
    requester: mention(e.requestedBy),
  });
  await postInThread(
    tx,
    ticket,
    threadReply(core, ticket, text, { mentions: [...leaders, ...spvs] }),
    `ev:${eventId}`,
    now,
  );
  await enqueue(tx, {
    dedupeKey: `esc-moved:${eventId}`,
    platform: ticket.platform,
    channel: ticket.channel,
    message: { kind: 'edit', reply: requestMessage(core, ticket, moved, spvs), target: { escalation: e.id } },
    at: now,
  });
  return moved;
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
