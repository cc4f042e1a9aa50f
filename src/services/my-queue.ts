/**
 * `saya` and Slack's App Home (DESIGN §8): the caller's queue — own open tickets by SLA time left,
 * callbacks, and for a TL or SPV the escalations waiting on them — each line with its next step.
 * The rule of what the queue holds is here and in src/domain/queue.ts; adapters only render.
 */
import { and, asc, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Core } from '../app.js';
import type { Tx } from '../db/index.js';
import { escalations, tickets } from '../db/schema.js';
import { maskName } from '../domain/mask.js';
import { type NextStep, type QueueReading, queueOrder, readQueueTicket } from '../domain/queue.js';
import type { Actor } from '../domain/roles.js';
import type { MessageKey } from '../i18n/index.js';
import { enqueueAll, type OutboxRow } from '../outbox/enqueue.js';
import type { Reply } from '../reply.js';
import { ticketZone } from './callback.js';
import { durationLabel, formatTimeIn, mention } from './present.js';
import { leadersOf, supervisors } from './roster.js';

const OPEN = ['open', 'escalated', 'confirmed'];
/** Lines shown per section: a phone screen; the rest is counted and `daftar` lists everything. */
export const QUEUE_LINES = 25;
/** Enough for any agent's shift; the queue is read on every App Home refresh. */
const MAX_TICKETS = 200;

export interface QueueLine {
  number: string;
  /** The customer's name, masked (`Sri W.`). */
  customer: string;
  next: NextStep;
  reading: QueueReading | null;
  callbackAt: Date | null;
  zone: string;
  /** Approvals: the level asked for, who asked and since when. */
  level?: string;
  requestedBy?: string;
  requestedAt?: Date;
}

export interface MyQueue {
  tickets: QueueLine[];
  callbacks: QueueLine[];
  approvals: QueueLine[];
}

/** The escalations a TL (own team, level tl) or SPV (levels spv and telkom) must decide; never their own. */
async function waitingOn(core: Core, actor: Actor): Promise<QueueLine[]> {
  if (actor.role !== 'team_leader' && actor.role !== 'supervisor') return [];
  const scope =
    actor.role === 'team_leader'
      ? and(eq(escalations.level, 'tl'), eq(tickets.team, actor.team))
      : inArray(escalations.level, ['spv', 'telkom']);
  const rows = await core.db
    .select({
      number: tickets.number,
      customerName: tickets.customerName,
      customerZone: tickets.customerZone,
      level: escalations.level,
      requestedBy: escalations.requestedBy,
      requestedAt: escalations.requestedAt,
    })
    .from(escalations)
    .innerJoin(tickets, eq(tickets.id, escalations.ticketId))
    .where(and(eq(escalations.status, 'pending'), ne(escalations.requestedBy, actor.userKey), scope))
    .orderBy(asc(escalations.requestedAt), asc(escalations.id))
    .limit(MAX_TICKETS);
  return rows.map((r) => ({
    number: r.number,
    customer: maskName(r.customerName),
    next: 'decide' as const,
    reading: null,
    callbackAt: null,
    zone: ticketZone(core, r).name,
    level: r.level,
    requestedBy: r.requestedBy,
    requestedAt: r.requestedAt,
  }));
}

export async function myQueue(core: Core, actor: Actor, now: Date): Promise<MyQueue> {
  const pending = sql<boolean>`exists (select 1 from ${escalations} where ${escalations.ticketId} = "tickets"."id" and ${escalations.status} = 'pending')`;
  const [rows, approvals] = await Promise.all([
    core.db
      .select({
        id: tickets.id,
        number: tickets.number,
        customerName: tickets.customerName,
        customerZone: tickets.customerZone,
        status: tickets.status,
        slaDueAt: tickets.slaDueAt,
        pausedSince: tickets.pausedSince,
        pauseReason: tickets.pauseReason,
        callbackAt: tickets.callbackAt,
        lastInformedAt: tickets.lastInformedAt,
        createdAt: tickets.createdAt,
        monitaStatus: tickets.monitaStatus,
        pendingEscalation: pending,
      })
      .from(tickets)
      .where(and(eq(tickets.assignee, actor.userKey), inArray(tickets.status, OPEN)))
      .orderBy(asc(tickets.slaDueAt))
      .limit(MAX_TICKETS),
    waitingOn(core, actor),
  ]);
  const informEvery = core.config.POSKO_INFORM_EVERY_MINUTES;
  const read = rows.map((r) => {
    const facts = { ...r, pendingEscalation: Boolean(r.pendingEscalation) };
    return { row: r, facts, reading: readQueueTicket(facts, now, informEvery) };
  });
  const line = ({ row, reading }: (typeof read)[number]): QueueLine => ({
    number: row.number,
    customer: maskName(row.customerName),
    next: reading.next,
    reading,
    callbackAt: row.callbackAt,
    zone: ticketZone(core, row).name,
  });
  const ordered = queueOrder(read);
  return {
    tickets: ordered.filter((r) => r.reading.section === 'tickets').map(line),
    callbacks: ordered.filter((r) => r.reading.section === 'callbacks').map(line),
    approvals,
  };
}

type Viewer = Pick<Core, 't' | 'config' | 'locale'>;

function renderLine(core: Viewer, l: QueueLine, now: Date): string {
  const { t } = core;
  const parts = [l.number, l.customer];
  if (l.next === 'decide') {
    const waited = durationLabel(core, now.getTime() - (l.requestedAt ?? now).getTime());
    parts.push(
      t('queue.request', {
        level: t(`level.${l.level ?? 'tl'}` as MessageKey),
        who: mention(l.requestedBy ?? ''),
        waited,
      }),
    );
  } else if (l.next === 'callback' && l.callbackAt) {
    if (l.callbackAt <= now) parts.push(t('queue.callbackDue'));
  } else if (l.reading && l.next !== 'close') {
    const left = durationLabel(core, Math.abs(l.reading.msLeft));
    parts.push(
      !l.reading.running
        ? t('list.paused', { left })
        : l.reading.msLeft < 0
          ? `⚠ ${t('list.over', { left })}`
          : t('list.left', { left }),
    );
  }
  const next =
    l.next === 'callback' && l.callbackAt
      ? t('queue.next.callback', { time: formatTimeIn(core, l.callbackAt, l.zone) })
      : t(`queue.next.${l.next}` as MessageKey);
  return `${parts.join(' · ')} → ${next}`;
}

function section(core: Viewer, key: MessageKey, lines: QueueLine[], now: Date): string[] {
  if (lines.length === 0) return [];
  const shown = lines.slice(0, QUEUE_LINES).map((l) => `• ${renderLine(core, l, now)}`);
  if (lines.length > QUEUE_LINES) shown.push(core.t('queue.more', { n: lines.length - QUEUE_LINES }));
  return [`*${core.t(key, { n: lines.length })}*`, ...shown];
}

/** The queue as one private answer: short lines, the masked customer, the next step last. */
export function renderQueue(core: Viewer, q: MyQueue, now: Date): Reply {
  const { t } = core;
  const total = q.tickets.length + q.callbacks.length + q.approvals.length;
  const title = t('queue.title', { n: total });
  const body = [
    ...section(core, 'queue.tickets', q.tickets, now),
    ...section(core, 'queue.callbacks', q.callbacks, now),
    ...section(core, 'queue.approvals', q.approvals, now),
  ];
  return {
    audience: 'ephemeral',
    ticket: null,
    error: null,
    title,
    text: total === 0 ? t('queue.empty') : `${title}\n${body.join('\n')}`,
  };
}

/** The queue of a person by user key, for App Home (the roster says who they are). */
export async function queueReply(core: Core, viewer: Viewer, actor: Actor, now: Date): Promise<Reply> {
  if (!actor.role) return { audience: 'ephemeral', ticket: null, error: null, text: viewer.t('queue.notOnRoster') };
  return renderQueue(viewer, await myQueue(core, actor, now), now);
}

// --- keeping App Home current -------------------------------------------------------------

/**
 * Publishes for one person are coalesced into windows of this length: every change in a window
 * queues (at most) one outbox row, sent once the window is over, which reads the queue then.
 */
export const HOME_WINDOW_MS = 5_000;
/** A transaction committing a little after its clock reading still lands before its window's publish. */
const HOME_GRACE_MS = 1_000;
/** Platforms with a home view to keep current (Slack's App Home). */
const HOME_PLATFORMS = new Set(['slack']);

/**
 * The outbox rows that refresh these people's home views: one per person and window (the dedupe
 * key), due when the window ends, so a burst of changes is one publish per person every
 * HOME_WINDOW_MS and the last one reads the state after the last change.
 */
export function queueRefreshes(userKeys: Iterable<string>, now: Date): OutboxRow[] {
  const window = Math.floor(now.getTime() / HOME_WINDOW_MS);
  const due = new Date((window + 1) * HOME_WINDOW_MS + HOME_GRACE_MS);
  return [...new Set(userKeys)]
    .map((userKey) => ({ userKey, platform: userKey.slice(0, userKey.indexOf(':')) }))
    .filter((u) => HOME_PLATFORMS.has(u.platform))
    .map(({ userKey, platform }) => ({
      dedupeKey: `home:${userKey}:${window}`,
      platform,
      channel: `home:${userKey}`,
      message: { kind: 'home' as const, user: userKey },
      at: due,
    }));
}

/** Queue a refresh of these people's home views, in the caller's transaction (see queueRefreshes). */
export async function touchQueues(tx: Tx, userKeys: Iterable<string>, now: Date): Promise<void> {
  await enqueueAll(tx, queueRefreshes(userKeys, now));
}

/** The people who decide an escalation of this team: its team leaders and every supervisor. */
export async function deciders(tx: Tx, team: string): Promise<string[]> {
  return [...(await leadersOf(tx, team)), ...(await supervisors(tx))];
}
