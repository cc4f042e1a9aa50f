import { userInfo } from 'node:os';
import { and, asc, count, desc, eq, inArray, min, sql } from 'drizzle-orm';
import type { Core } from '../app.js';
import type { Tx } from '../db/index.js';
import { outbox } from '../db/schema.js';
import { enqueue, type OutboxRow } from './enqueue.js';
import { channelOfLane } from './lanes.js';
import { outboxMetrics } from './metrics.js';
import type { Row } from './send.js';
import type { OutboxMessage } from './types.js';

/**
 * Dead letters: rows given up (a permanent platform error at once, a transient one after the
 * policy's attempts). Each keeps its short error code; the person whose command queued it is
 * told by a direct message; operators list and re-queue them with `posko outbox dead|retry`.
 */

/** Why a row was given up: the platform's short code (safe to show) and the error's text. */
export interface Failure {
  code: string;
  message: string;
}

/** Keeps the row as dead and queues its notice, in one transaction: told exactly when it died. */
export async function markDead(core: Core, row: Row, failure: Failure, at: Date): Promise<void> {
  const told = await core.db.transaction(async (tx) => {
    await tx
      .update(outbox)
      .set({
        status: 'dead',
        deadAt: at,
        lastError: failure.message.slice(0, 500),
        lastErrorCode: failure.code,
        notBefore: at,
      })
      .where(eq(outbox.id, row.id));
    const notice = deadNotice(core, row, failure.code, at);
    if (notice) await enqueue(tx as Tx, notice);
    return notice !== null;
  });
  outboxMetrics.dead.inc({ platform: row.platform });
  core.log.error(
    {
      outboxId: row.id,
      dedupeKey: row.dedupeKey,
      platform: row.platform,
      channel: row.channel,
      attempts: row.attempts,
      code: failure.code,
      err: failure.message,
      requesterTold: told,
    },
    'outbox message dead: kept with status dead, not retried',
  );
}

/**
 * The direct message telling the requester, or null when nobody can be told: a job's message has
 * no requester, and a failed DM to the requester would fail again. One notice per person and
 * channel a day: a backlog dying in a deleted channel (the card, then its thread messages) is one
 * message, not fifty.
 */
function deadNotice(core: Core, row: Row, code: string, at: Date): OutboxRow | null {
  const requester = row.requestedBy;
  const separator = requester?.indexOf(':') ?? -1;
  if (!requester || separator <= 0) return null;
  const message = row.payload as unknown as OutboxMessage;
  const dmTo = message.kind === 'post' ? message.dmTo : undefined;
  if (dmTo === requester) return null;
  const where = dmTo
    ? core.t('outbox.whereDm', { who: `<@${dmTo}>` })
    : core.t('outbox.whereChannel', { channel: channelOfLane(row.channel) });
  const ticket = message.reply.ticket;
  const text = ticket
    ? core.t('outbox.deadNotice', { ticket, where, code })
    : core.t('outbox.deadNoticeNoTicket', { where, code });
  const day = at.toISOString().slice(0, 10);
  return {
    dedupeKey: `dead-notice:${requester}:${row.platform}:${channelOfLane(row.channel)}:${day}`,
    platform: requester.slice(0, separator),
    channel: `dm:${requester}`,
    message: { kind: 'post', reply: { audience: 'channel', ticket, error: null, text }, dmTo: requester },
    at,
  };
}

export interface DeadLetter {
  id: number;
  platform: string;
  channel: string;
  /** Since the message was queued. */
  ageMs: number;
  code: string | null;
  attempts: number;
  deadAt: Date | null;
}

/** Every dead letter, oldest first; no payload, so no message text. */
export async function listDeadLetters(core: Pick<Core, 'db'>, now: Date): Promise<DeadLetter[]> {
  const rows = await core.db
    .select({
      id: outbox.id,
      platform: outbox.platform,
      channel: outbox.channel,
      createdAt: outbox.createdAt,
      code: outbox.lastErrorCode,
      attempts: outbox.attempts,
      deadAt: outbox.deadAt,
    })
    .from(outbox)
    .where(eq(outbox.status, 'dead'))
    .orderBy(asc(outbox.id));
  return rows.map(({ createdAt, ...r }) => ({ ...r, ageMs: now.getTime() - createdAt.getTime() }));
}

/** Ids asked for that are not dead letters (unknown, or pending or sent). */
export class NotDeadLetters extends Error {
  constructor(readonly ids: number[]) {
    super(`not a dead letter: ${ids.join(', ')}`);
  }
}

/**
 * Puts dead letters back in the queue: due now, attempts from zero. A row re-queued is older
 * than what its channel queued since, so it goes first. Audited in the log with who ran it.
 */
export async function requeueDeadLetters(core: Core, which: number[] | 'all'): Promise<number[]> {
  const now = core.clock();
  const ids = await core.db.transaction(async (tx) => {
    const dead = and(eq(outbox.status, 'dead'), which === 'all' ? undefined : inArray(outbox.id, which));
    const found = await tx.select({ id: outbox.id }).from(outbox).where(dead).for('update');
    const foundIds = new Set(found.map((r) => r.id));
    const missing = which === 'all' ? [] : which.filter((id) => !foundIds.has(id));
    if (missing.length > 0) throw new NotDeadLetters(missing);
    if (found.length === 0) return [];
    await tx
      .update(outbox)
      .set({ status: 'pending', attempts: 0, notBefore: now, deadAt: null })
      .where(inArray(outbox.id, [...foundIds]));
    return [...foundIds].sort((a, b) => a - b);
  });
  core.log.info(
    { outboxIds: ids, count: ids.length, by: operator() },
    'outbox dead letters re-queued by an operator (posko outbox retry)',
  );
  return ids;
}

function operator(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

/** How many recent dead letters the health detail names. */
const RECENT_DEAD = 10;

export interface OutboxHealth {
  pending: number;
  /** Age of the oldest pending message; null when nothing is pending. */
  oldestPendingAgeMs: number | null;
  /** Dead letters per platform. */
  dead: Record<string, number>;
  /** The latest dead letters, newest first: platform, error code and when (no channel, no text). */
  recentDead: { platform: string; code: string | null; at: string | null }[];
}

/** The outbox part of `/healthz` detail: no message text, no customer value. */
export async function outboxHealth(db: Core['db'], now: Date): Promise<OutboxHealth> {
  const [pending] = await db
    .select({ n: count(), oldest: min(outbox.createdAt) })
    .from(outbox)
    .where(eq(outbox.status, 'pending'));
  const perPlatform = await db
    .select({ platform: outbox.platform, n: count() })
    .from(outbox)
    .where(eq(outbox.status, 'dead'))
    .groupBy(outbox.platform);
  const recent = await db
    .select({ platform: outbox.platform, code: outbox.lastErrorCode, at: outbox.deadAt })
    .from(outbox)
    .where(eq(outbox.status, 'dead'))
    .orderBy(sql`${outbox.deadAt} desc nulls last`, desc(outbox.id))
    .limit(RECENT_DEAD);
  const oldest = pending?.oldest ? new Date(pending.oldest) : null;
  return {
    pending: Number(pending?.n ?? 0),
    oldestPendingAgeMs: oldest ? Math.max(0, now.getTime() - oldest.getTime()) : null,
    dead: Object.fromEntries(perPlatform.map((p) => [p.platform, Number(p.n)])),
    recentDead: recent.map((r) => ({ platform: r.platform, code: r.code, at: r.at?.toISOString() ?? null })),
  };
}
