import { and, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { Core } from '../app.js';
import type { Tx } from '../db/index.js';
import { escalations, tickets } from '../db/schema.js';
import { isWorkingMoment } from '../domain/working-hours.js';
import type { MessageKey } from '../i18n/index.js';
import { ticketZone } from '../services/callback.js';
import { approversFor, moveUpEscalation } from '../services/escalation.js';
import { closeRequest } from '../services/escalation-message.js';
import { durationLabel, type Escalation, mention, type Ticket, threadReply, ticketTime } from '../services/present.js';
import { at } from '../services/sql-time.js';
import { postInThread, refreshCard } from '../services/ticket-store.js';
import { applyChange } from '../services/transition.js';
import { announce, claimAlert, lockRunning } from './alerts.js';
import { SLA_RUNNING } from './sla-watch.js';
import type { Job, JobResult } from './types.js';

const MINUTE = 60_000;

/**
 * P5.9, A8: the assignee when the customer has not been informed for POSKO_INFORM_EVERY_MINUTES
 * (once per interval); P5.10: the approvers when an escalation waits past
 * POSKO_ESCALATION_REMIND_MINUTES (again every such interval); a request waiting past
 * POSKO_ESCALATION_EXPIRE_MINUTES expires and says so in the thread.
 */
export async function reminders(core: Core, now: Date): Promise<JobResult> {
  const informed = await remindToInform(core, now);
  const callbacks = await remindCallbacks(core, now);
  const moved = await moveUpUnanswered(core, now);
  const expired = await expireEscalations(core, now);
  const approvals = await remindApprovers(core, now);
  return {
    detail: `${informed} customer-update reminders, ${callbacks} callbacks due, ${approvals} approval reminders, ${moved} escalations moved up, ${expired} escalations expired`,
    // a callback: thread post and card edit; a move: post, request edit, card edit; an expiry the same
    queued: informed + approvals + callbacks * 2 + moved * 3 + expired * 3,
  };
}

/**
 * The customer asked to be called back at a time: at that time the assignee is reminded, once, and
 * the SLA clock that waited on the customer runs again (the system's act, audited).
 */
async function remindCallbacks(core: Core, now: Date): Promise<number> {
  const due = await core.db
    .select({ id: tickets.id, callbackAt: tickets.callbackAt })
    .from(tickets)
    .where(and(inArray(tickets.status, [...SLA_RUNNING]), lte(tickets.callbackAt, now)))
    .orderBy(tickets.callbackAt);
  let sent = 0;
  for (const { id, callbackAt } of due) {
    const done = await core.db.transaction(async (tx) => {
      const fresh = await lockRunning(tx, id);
      if (!fresh?.callbackAt || fresh.callbackAt.getTime() !== callbackAt?.getTime()) return false;
      if (!(await claimAlert(tx, id, `callback:${callbackAt.getTime()}`, now))) return false;
      const callback = ticketTime(core, fresh, callbackAt);
      const at = callback.text;
      const { ticket, eventId } = await applyChange(
        core,
        tx,
        fresh,
        {
          move: { kind: 'callback_due' },
          event: { type: 'callback_due', payload: { text: core.t('job.callbackDueHistory', { at }) } },
          actor: 'posko',
          set: { callbackAt: null },
        },
        now,
      );
      const text = core.t('job.callbackDue', { who: mention(ticket.assignee), ticket: ticket.number, at });
      await postInThread(
        tx,
        ticket,
        threadReply(core, ticket, text, { mentions: [ticket.assignee], times: [callback] }),
        `ev:${eventId}`,
        now,
      );
      return true;
    });
    if (done) sent++;
  }
  return sent;
}

/** P5.10: a TL request unanswered for POSKO_ESCALATION_TIMEOUT_MINUTES moves up to the supervisors. */
async function moveUpUnanswered(core: Core, now: Date): Promise<number> {
  const limit = new Date(now.getTime() - core.config.POSKO_ESCALATION_TIMEOUT_MINUTES * MINUTE);
  const stale = await core.db
    .select({ id: escalations.id, ticketId: escalations.ticketId })
    .from(escalations)
    .where(and(eq(escalations.status, 'pending'), eq(escalations.level, 'tl'), lte(escalations.requestedAt, limit)))
    .orderBy(escalations.requestedAt);
  let moved = 0;
  for (const { id, ticketId } of stale) {
    const done = await core.db.transaction(async (tx) => {
      const [ticket] = await tx.select().from(tickets).where(eq(tickets.id, ticketId)).for('update');
      const [e] = await tx.select().from(escalations).where(eq(escalations.id, id));
      if (!ticket || !e || e.status !== 'pending' || e.level !== 'tl') return false;
      return (await moveUpEscalation(core, tx, ticket, e, now)) !== null;
    });
    if (done) moved++;
  }
  return moved;
}

async function remindToInform(core: Core, now: Date): Promise<number> {
  const every = core.config.POSKO_INFORM_EVERY_MINUTES * MINUTE;
  const quietSince = new Date(now.getTime() - every);
  const due = await core.db
    .select()
    .from(tickets)
    .where(
      and(
        inArray(tickets.status, [...SLA_RUNNING]),
        // A ticket waiting on the customer or on Telkom has nothing new to tell.
        isNull(tickets.pausedSince),
        sql`coalesce(${tickets.lastInformedAt}, ${tickets.createdAt}) <= ${at(quietSince)}`,
      ),
    )
    .orderBy(tickets.id);
  let sent = 0;
  for (const ticket of due) {
    // Informing means calling the customer: not at 23.00 their time, nor on a holiday. It waits.
    if (!isWorkingMoment(now, ticketZone(core, ticket), core.config.POSKO_WORKING_HOURS, core.config.POSKO_HOLIDAYS))
      continue;
    const from = ticket.lastInformedAt ?? ticket.createdAt;
    // One reminder per interval without news: the k-th interval since the last update has its own key.
    const k = Math.floor((now.getTime() - from.getTime()) / every);
    const kind = `inform:${from.getTime()}:${k}`;
    const done = await core.db.transaction(async (tx) => {
      // Informed a moment ago (or closed): the reminder is no longer due.
      const fresh = await lockRunning(tx, ticket.id);
      if (!fresh || (fresh.lastInformedAt ?? fresh.createdAt).getTime() !== from.getTime()) return false;
      if (!(await claimAlert(tx, ticket.id, kind, now))) return false;
      const since = ticketTime(core, fresh, from);
      const text = core.t('job.remindInform', {
        who: mention(ticket.assignee),
        since: since.text,
        ago: durationLabel(core, now.getTime() - from.getTime()),
        ticket: ticket.number,
      });
      const payload = {
        kind: 'inform',
        since: from.toISOString(),
        text: core.t('job.remindInformHistory', { since: since.text }),
      };
      await announce(
        core,
        tx,
        ticket,
        { type: 'reminder', payload, text, mentions: [ticket.assignee], times: [since] },
        now,
      );
      return true;
    });
    if (done) sent++;
  }
  return sent;
}

async function remindApprovers(core: Core, now: Date): Promise<number> {
  const every = new Date(now.getTime() - core.config.POSKO_ESCALATION_REMIND_MINUTES * MINUTE);
  const waiting = await core.db
    .select({ e: escalations, t: tickets })
    .from(escalations)
    .innerJoin(tickets, eq(tickets.id, escalations.ticketId))
    .where(
      and(
        eq(escalations.status, 'pending'),
        lte(escalations.requestedAt, every),
        or(isNull(escalations.lastRemindedAt), lte(escalations.lastRemindedAt, every)),
      ),
    )
    .orderBy(escalations.requestedAt);
  let sent = 0;
  for (const { e, t: ticket } of waiting) {
    const approvers = (await approversFor(core.db, ticket, e.level)).filter((u) => u !== e.requestedBy);
    const done = await core.db.transaction(async (tx) => {
      // The conditional update is the claim: a second instance finds the reminder already stamped.
      const [claimed] = await tx
        .update(escalations)
        .set({ lastRemindedAt: now })
        .where(
          and(
            eq(escalations.id, e.id),
            eq(escalations.status, 'pending'),
            or(isNull(escalations.lastRemindedAt), lte(escalations.lastRemindedAt, every)),
          ),
        )
        .returning({ id: escalations.id });
      if (!claimed) return false;
      const level = core.t(`level.${e.level}` as MessageKey);
      const text = core.t('job.remindApprove', {
        who: approvers.map(mention).join(' ') || '-',
        level,
        requester: mention(e.requestedBy),
        ago: durationLabel(core, now.getTime() - e.requestedAt.getTime()),
        ticket: ticket.number,
      });
      const payload = { kind: 'escalation', escalationId: e.id, text: core.t('job.remindApproveHistory', { level }) };
      await announce(core, tx, ticket, { type: 'reminder', payload, text, mentions: approvers }, now);
      return true;
    });
    if (done) sent++;
  }
  return sent;
}

async function expireEscalations(core: Core, now: Date): Promise<number> {
  const limit = core.config.POSKO_ESCALATION_EXPIRE_MINUTES;
  const stale = await core.db
    .select({ id: escalations.id, ticketId: escalations.ticketId })
    .from(escalations)
    .where(
      and(eq(escalations.status, 'pending'), lte(escalations.requestedAt, new Date(now.getTime() - limit * MINUTE))),
    )
    .orderBy(escalations.requestedAt);
  let expired = 0;
  for (const { id, ticketId } of stale) {
    const done = await core.db.transaction(async (tx) => {
      // Lock the ticket as every command does, so an approval racing this expiry waits and then
      // finds nothing pending (and says so) instead of overwriting the expiry.
      const [ticket] = await tx.select().from(tickets).where(eq(tickets.id, ticketId)).for('update');
      if (!ticket) return false;
      const [e] = await tx
        .update(escalations)
        .set({ status: 'expired', decidedAt: now })
        .where(and(eq(escalations.id, id), eq(escalations.status, 'pending')))
        .returning();
      if (!e) return false;
      await announceExpiry(core, tx, ticket, e, limit, now);
      return true;
    });
    if (done) expired++;
  }
  return expired;
}

async function announceExpiry(
  core: Core,
  tx: Tx,
  ticket: Ticket,
  e: Escalation,
  limit: number,
  now: Date,
): Promise<void> {
  const text = core.t('job.escalationExpired', {
    level: core.t(`level.${e.level}` as MessageKey),
    requester: mention(e.requestedBy),
    minutes: limit,
  });
  const payload = { level: e.level, escalationId: e.id, minutes: limit };
  const eventId = await announce(
    core,
    tx,
    ticket,
    { type: 'escalation_expired', payload, text, mentions: [e.requestedBy] },
    now,
  );
  // The request message loses its buttons and shows the expiry, as a decision would.
  await closeRequest(core, tx, ticket, e, eventId, now);
  await refreshCard(core, tx, ticket.id, `card-edit:${eventId}`, now);
}

export const remindersJob: Job = {
  name: 'reminders',
  cron: () => '*/5 * * * *',
  run: reminders,
};
