import { and, asc, eq, inArray, lte, notInArray, sql } from 'drizzle-orm';
import type { Core } from '../app.js';
import { escalations, type MessageRef, outbox, tickets } from '../db/schema.js';
import { at } from '../services/sql-time.js';
import { outboxMetrics } from './metrics.js';
import { type DeliveredWhere, type Deliverer, type OutboxMessage, RateLimited } from './types.js';

type Row = typeof outbox.$inferSelect;

/**
 * How the outbox delivers. Delivery is at-least-once with the window made as small as it can be:
 * a row is claimed (leased) in a short transaction, sent with no transaction open, then marked.
 * A process that dies after the claim leaves a lease that runs out; the row is claimed again.
 */
export interface OutboxPolicy {
  /** A claimed row stays invisible to other workers this long; a crash makes it claimable after. */
  leaseMs: number;
  /** A send that has not answered by then counts as failed, well inside the lease. */
  sendTimeoutMs: number;
  /** Failed attempts (errors, timeouts, a crash mid-send) before a row is kept as `dead`. */
  maxAttempts: number;
  /** Wait before the n-th retry (n from 1). */
  backoffMs(attempt: number): number;
  /** Gap between two messages in one channel (Slack allows about one a second per channel). */
  paceMs(platform: string): number;
  /** A thread message or edit whose target was never delivered gives up after this long. */
  notReadyGiveUpMs: number;
}

export const DEFAULT_POLICY: OutboxPolicy = {
  leaseMs: 30_000,
  sendTimeoutMs: 15_000,
  maxAttempts: 8,
  backoffMs: (n) => Math.min(300_000, 1000 * 2 ** (n - 1)),
  paceMs: (platform) => (platform === 'console' ? 0 : 1000),
  notReadyGiveUpMs: 3_600_000,
};

/** Channels one pass of the paced worker starts at most. */
const CLAIM_BATCH = 16;
/** Passes are at least this far apart, so channels freed within it are claimed together. */
const MIN_PASS_GAP_MS = 10;

/** The message's target (card or request message) is not posted yet: try again soon, not a failure. */
class NotReady extends Error {}
class SendTimeout extends Error {}

/** What became of one claimed row; the continuous worker paces its channel from it. */
type Outcome =
  | { kind: 'sent'; at: Date }
  | { kind: 'rate_limited'; retryAfterMs: number }
  | { kind: 'not_ready' }
  | { kind: 'failed'; dead: boolean };

/**
 * Claims due rows of one platform with FOR UPDATE SKIP LOCKED (workers on several instances never
 * take the same row) and leases them: `not_before` moves to the lease's end and `attempts` counts
 * the claim, so a message that kills its sender still ends as dead after maxAttempts.
 * With `onePerChannel`, only the oldest due row of each channel is taken and the channel's other
 * pending rows are hidden for the lease too: one message at a time per channel, across instances.
 */
async function claim(
  core: Core,
  platform: string,
  now: Date,
  policy: OutboxPolicy,
  opts: { limit: number; onePerChannel: boolean; skipChannels?: string[] },
): Promise<{ rows: Row[]; leaseUntil: Date }> {
  const leaseUntil = new Date(now.getTime() + policy.leaseMs);
  const rows = await core.db.transaction(async (tx) => {
    const conditions = [eq(outbox.platform, platform), eq(outbox.status, 'pending'), lte(outbox.notBefore, now)];
    if (opts.skipChannels?.length) conditions.push(notInArray(outbox.channel, opts.skipChannels));
    const due = await tx
      .select({ id: outbox.id, channel: outbox.channel })
      .from(outbox)
      .where(and(...conditions))
      .orderBy(asc(outbox.id))
      .limit(opts.onePerChannel ? opts.limit * 4 : opts.limit)
      .for('update', { skipLocked: true });
    const picked: number[] = [];
    const channels = new Set<string>();
    for (const d of due) {
      if (picked.length >= opts.limit) break;
      if (opts.onePerChannel && channels.has(d.channel)) continue;
      channels.add(d.channel);
      picked.push(d.id);
    }
    if (picked.length === 0) return [] as Row[];
    const claimed = await tx
      .update(outbox)
      .set({ notBefore: leaseUntil, attempts: sql`${outbox.attempts} + 1` })
      .where(inArray(outbox.id, picked))
      .returning();
    if (opts.onePerChannel)
      await tx
        .update(outbox)
        .set({ notBefore: sql`greatest(${outbox.notBefore}, ${at(leaseUntil)})` })
        .where(
          and(
            eq(outbox.platform, platform),
            eq(outbox.status, 'pending'),
            inArray(outbox.channel, [...channels]),
            notInArray(outbox.id, picked),
          ),
        );
    return claimed;
  });
  return { rows: rows.sort((a, b) => a.id - b.id), leaseUntil };
}

/**
 * Sends one claimed row and records the result on it. Only the send's own failure is a delivery
 * failure; a database error while recording a sent message propagates (the lease then runs out
 * and the row is sent again: the one window of at-least-once this design keeps).
 */
async function deliverClaimed(core: Core, deliverer: Deliverer, row: Row, policy: OutboxPolicy): Promise<Outcome> {
  let ref: MessageRef | null;
  try {
    ref = await withTimeout(deliverOne(core, deliverer, row), policy.sendTimeoutMs);
  } catch (err) {
    return recordFailure(core, row, err, policy);
  }
  const sentAt = core.clock();
  await core.db
    .update(outbox)
    .set({ status: 'sent', sentAt, platformMessageId: ref?.messageId ?? null, lastError: null })
    .where(eq(outbox.id, row.id));
  outboxMetrics.sent.inc({ platform: row.platform });
  return { kind: 'sent', at: sentAt };
}

async function recordFailure(core: Core, row: Row, err: unknown, policy: OutboxPolicy): Promise<Outcome> {
  const now = core.clock().getTime();
  // A 429 or a missing target is not the message's fault: the claim is given back, uncounted.
  if (err instanceof RateLimited) {
    outboxMetrics.rateLimited.inc({ platform: row.platform });
    const until = new Date(now + err.retryAfterMs);
    await core.db
      .update(outbox)
      .set({ notBefore: until, attempts: sql`${outbox.attempts} - 1` })
      .where(eq(outbox.id, row.id));
    // Every instance holds back the whole channel until Retry-After has passed.
    await pushChannel(core, row, until);
    return { kind: 'rate_limited', retryAfterMs: err.retryAfterMs };
  }
  if (err instanceof NotReady && now - row.createdAt.getTime() < policy.notReadyGiveUpMs) {
    await core.db
      .update(outbox)
      .set({ notBefore: new Date(now + 1000), attempts: sql`${outbox.attempts} - 1` })
      .where(eq(outbox.id, row.id));
    return { kind: 'not_ready' };
  }
  const dead = err instanceof NotReady || row.attempts >= policy.maxAttempts;
  const message = err instanceof NotReady ? 'its card or request message was never delivered' : errorText(err);
  if (dead) {
    outboxMetrics.dead.inc({ platform: row.platform });
    core.log.error(
      {
        outboxId: row.id,
        dedupeKey: row.dedupeKey,
        platform: row.platform,
        channel: row.channel,
        attempts: row.attempts,
        err: message,
      },
      'outbox message dead: kept with status dead, not retried',
    );
  } else {
    outboxMetrics.retries.inc({ platform: row.platform });
    core.log.warn(
      { outboxId: row.id, platform: row.platform, channel: row.channel, attempts: row.attempts, err: message },
      'outbox delivery failed; will retry',
    );
  }
  await core.db
    .update(outbox)
    .set({
      status: dead ? 'dead' : 'pending',
      lastError: message.slice(0, 500),
      notBefore: new Date(now + policy.backoffMs(row.attempts)),
    })
    .where(eq(outbox.id, row.id));
  return { kind: 'failed', dead };
}

/** Holds the channel's pending rows until `until` (never earlier than they already were). */
async function pushChannel(core: Core, row: Row, until: Date): Promise<void> {
  await core.db
    .update(outbox)
    .set({ notBefore: sql`greatest(${outbox.notBefore}, ${at(until)})` })
    .where(and(eq(outbox.platform, row.platform), eq(outbox.channel, row.channel), eq(outbox.status, 'pending')));
}

/** Gives back the rows the claim hid behind this channel's head, due at `next`. */
async function releaseSiblings(core: Core, row: Row, leaseUntil: Date, next: Date): Promise<void> {
  await core.db
    .update(outbox)
    .set({ notBefore: next })
    .where(
      and(
        eq(outbox.platform, row.platform),
        eq(outbox.channel, row.channel),
        eq(outbox.status, 'pending'),
        eq(outbox.notBefore, leaseUntil),
      ),
    );
}

/**
 * Claims this channel's next row among those the lane's claim hid (`leaseUntil`) and hides the
 * rest again until `newLease`: the lane keeps its channel while the pace runs, so the database
 * work is done by the time the next message is due. Null when the channel has nothing hidden.
 */
async function claimNextInChannel(core: Core, row: Row, leaseUntil: Date, newLease: Date): Promise<Row | null> {
  return core.db.transaction(async (tx) => {
    const hidden = and(
      eq(outbox.platform, row.platform),
      eq(outbox.channel, row.channel),
      eq(outbox.status, 'pending'),
      eq(outbox.notBefore, leaseUntil),
    );
    const [head] = await tx
      .select({ id: outbox.id })
      .from(outbox)
      .where(hidden)
      .orderBy(asc(outbox.id))
      .limit(1)
      .for('update', { skipLocked: true });
    if (!head) return null;
    const [claimed] = await tx
      .update(outbox)
      .set({ notBefore: newLease, attempts: sql`${outbox.attempts} + 1` })
      .where(eq(outbox.id, head.id))
      .returning();
    await tx.update(outbox).set({ notBefore: newLease }).where(hidden);
    return claimed ?? null;
  });
}

/** Gives back a row claimed ahead and not sent (the worker stops): due at `at`, the claim uncounted. */
async function giveBack(core: Core, row: Row, leaseUntil: Date, at: Date): Promise<void> {
  await core.db
    .update(outbox)
    .set({ notBefore: at, attempts: sql`${outbox.attempts} - 1` })
    .where(and(eq(outbox.id, row.id), eq(outbox.notBefore, leaseUntil)));
  await releaseSiblings(core, row, leaseUntil, at);
}

async function deliverOne(core: Core, deliverer: Deliverer, row: Row): Promise<MessageRef | null> {
  const message = row.payload as unknown as OutboxMessage;
  if (message.kind === 'edit') {
    const ref = await targetRef(core, message.target);
    if (!ref) throw new NotReady();
    await deliverer.edit(ref, message.reply);
    return ref;
  }
  const inThread = !message.dmTo && message.threadOfTicket !== undefined;
  const thread = inThread ? await targetRef(core, { ticketCard: message.threadOfTicket as number }) : null;
  if (inThread && !thread) throw new NotReady();
  const where = { channel: row.channel, dmTo: message.dmTo, thread: thread ?? undefined, since: row.createdAt };
  const ref =
    (await deliveredBefore(core, deliverer, row, where)) ??
    (message.dmTo
      ? await deliverer.dm(message.dmTo, message.reply, row.id)
      : await deliverer.post(row.channel, message.reply, thread ?? undefined, row.id));
  if (message.track && 'ticketCard' in message.track)
    await core.db.update(tickets).set({ cardRef: ref }).where(eq(tickets.id, message.track.ticketCard));
  if (message.track && 'escalation' in message.track)
    await core.db.update(escalations).set({ messageRef: ref }).where(eq(escalations.id, message.track.escalation));
  return ref;
}

/**
 * A row claimed before (attempts counts claims; a 429 or a missing target gives its claim back)
 * may have reached the platform while its sender died or timed out before recording it. Where
 * the platform can be asked, look first, so that message is recorded rather than posted twice.
 * A lookup that fails otherwise (an app installed without the history scopes) posts again.
 */
async function deliveredBefore(
  core: Core,
  deliverer: Deliverer,
  row: Row,
  where: DeliveredWhere,
): Promise<MessageRef | null> {
  if (row.attempts <= 1 || !deliverer.findDelivered) return null;
  try {
    const found = await deliverer.findDelivered(row.id, where);
    if (found) core.log.info({ outboxId: row.id, platform: row.platform }, 'outbox message found already delivered');
    return found;
  } catch (err) {
    if (err instanceof RateLimited) throw err;
    core.log.warn({ outboxId: row.id, err: errorText(err) }, 'could not look for an earlier delivery; sending again');
    return null;
  }
}

async function targetRef(
  core: Core,
  target: { ticketCard: number } | { escalation: number },
): Promise<MessageRef | null> {
  if ('ticketCard' in target) {
    const [t] = await core.db.select({ ref: tickets.cardRef }).from(tickets).where(eq(tickets.id, target.ticketCard));
    return t?.ref ?? null;
  }
  const [e] = await core.db
    .select({ ref: escalations.messageRef })
    .from(escalations)
    .where(eq(escalations.id, target.escalation));
  return e?.ref ?? null;
}

/**
 * One pass over the due rows of one platform, unpaced: claim, deliver in order, record where each
 * message landed. The console and tests call this until it returns 0; a failing message holds
 * back the rest of its channel until the next pass, so a thread never shows them out of order.
 */
export async function deliverDue(
  core: Core,
  deliverer: Deliverer,
  opts: { limit?: number; policy?: Partial<OutboxPolicy> } = {},
): Promise<number> {
  const policy = { ...DEFAULT_POLICY, ...opts.policy };
  const now = core.clock();
  const { rows } = await claim(core, deliverer.platform, now, policy, {
    limit: opts.limit ?? 100,
    onePerChannel: false,
  });
  const held = new Map<string, Date>();
  let delivered = 0;
  for (const row of rows) {
    const until = held.get(row.channel);
    if (until) {
      await core.db
        .update(outbox)
        .set({ notBefore: until, attempts: sql`${outbox.attempts} - 1` })
        .where(eq(outbox.id, row.id));
      continue;
    }
    const outcome = await deliverClaimed(core, deliverer, row, policy);
    if (outcome.kind === 'sent') delivered++;
    else held.set(row.channel, outcome.kind === 'rate_limited' ? new Date(now.getTime() + outcome.retryAfterMs) : now);
  }
  return delivered;
}

export interface OutboxWorker {
  /** Starts what is due: rows claimed ahead whose pace has passed, and claims on free channels. */
  pass(): Promise<number>;
  /** Starts the rows claimed ahead whose pace has passed; no database work, so it never waits. */
  startDue(): number;
  /** Resolves when every send started so far has finished and been recorded. */
  idle(): Promise<void>;
  /** When (clock ms) the first channel now waiting out its pace or Retry-After may send again. */
  nextFreeAt(): number | undefined;
  /** Claims no more ahead, waits for sends under way, and gives back the rows claimed ahead. */
  stop(): Promise<void>;
}

/**
 * The paced worker for one platform: one message at a time per channel, `paceMs` apart, a 429
 * pausing only its own channel for Retry-After, other channels going on meanwhile. After a send,
 * the lane claims its channel's next row at once, so when the pace has passed that row goes out
 * without waiting for a claim (Slack sees the channel's messages 1 s apart, not 1 s + a claim).
 */
export function createOutboxWorker(
  core: Core,
  deliverer: Deliverer,
  policyIn: Partial<OutboxPolicy> = {},
): OutboxWorker {
  const policy = { ...DEFAULT_POLICY, ...policyIn };
  const platform = deliverer.platform;
  const busy = new Map<string, Promise<void>>();
  const pausedUntil = new Map<string, number>();
  /** A channel's next row, claimed while its pace runs; `pass` starts it once the pace is over. */
  const ahead = new Map<string, { row: Row; leaseUntil: Date; dueAt: Date }>();
  let stopping = false;

  const lane = async (row: Row, leaseUntil: Date) => {
    const outcome = await deliverClaimed(core, deliverer, row, policy);
    // The pace counts from the platform's answer, not from when the database recorded it.
    const now = outcome.kind === 'sent' ? outcome.at.getTime() : core.clock().getTime();
    const wait =
      outcome.kind === 'sent'
        ? policy.paceMs(platform)
        : outcome.kind === 'rate_limited'
          ? outcome.retryAfterMs
          : outcome.kind === 'not_ready'
            ? 1000
            : 0;
    if (wait > 0) pausedUntil.set(row.channel, now + wait);
    const dueAt = new Date(now + wait);
    if (outcome.kind === 'sent' && !stopping) {
      const nextLease = new Date(dueAt.getTime() + policy.leaseMs);
      const next = await claimNextInChannel(core, row, leaseUntil, nextLease);
      if (next) {
        ahead.set(row.channel, { row: next, leaseUntil: nextLease, dueAt });
        return;
      }
    }
    // The channel's next message becomes due when this one's pace (or Retry-After) has passed,
    // for every instance; after a failure it goes ahead while this one backs off.
    await releaseSiblings(core, row, leaseUntil, dueAt);
  };

  const start = (row: Row, leaseUntil: Date) => {
    const run = lane(row, leaseUntil)
      .catch((err) => core.log.warn({ platform, channel: row.channel, err: errorText(err) }, 'outbox lane failed'))
      .finally(() => busy.delete(row.channel));
    busy.set(row.channel, run);
  };

  const idle = async () => {
    while (busy.size > 0) await Promise.all([...busy.values()]);
  };

  const startDue = () => {
    if (stopping) return 0;
    const now = core.clock().getTime();
    for (const [channel, until] of pausedUntil) if (until <= now) pausedUntil.delete(channel);
    let started = 0;
    for (const [channel, next] of ahead)
      if (!pausedUntil.has(channel)) {
        ahead.delete(channel);
        start(next.row, next.leaseUntil);
        started++;
      }
    return started;
  };

  return {
    startDue,
    async pass() {
      if (stopping) return 0;
      const started = startDue();
      const now = core.clock();
      const skipChannels = [...busy.keys(), ...pausedUntil.keys(), ...ahead.keys()];
      const { rows, leaseUntil } = await claim(core, platform, now, policy, {
        limit: CLAIM_BATCH,
        onePerChannel: true,
        skipChannels,
      });
      for (const row of rows) start(row, leaseUntil);
      return started + rows.length;
    },
    idle,
    nextFreeAt() {
      let first: number | undefined;
      for (const until of pausedUntil.values()) if (first === undefined || until < first) first = until;
      return first;
    },
    async stop() {
      stopping = true;
      await idle();
      const held = [...ahead.values()];
      ahead.clear();
      for (const { row, leaseUntil, dueAt } of held) await giveBack(core, row, leaseUntil, dueAt);
    },
  };
}

/**
 * Drains every platform's outbox until stopped: a pass every `intervalMs` (new rows), and one as
 * soon as a paced channel may send again, so a channel's messages go out `paceMs` apart rather
 * than on the next tick after it. `stop` waits for sends under way and gives back rows claimed ahead.
 */
export function startOutboxWorker(
  core: Core,
  deliverers: Deliverer[],
  opts: { intervalMs?: number; policy?: Partial<OutboxPolicy> } = {},
): { stop(): Promise<void> } {
  const workers = deliverers.map((d) => ({ platform: d.platform, worker: createOutboxWorker(core, d, opts.policy) }));
  const intervalMs = opts.intervalMs ?? 250;
  let stopped = false;
  let passing: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  // A database outage fails every pass: one warning when it starts, one line when it ends.
  const failing = new Set<string>();
  /** True when a pass claimed a full batch: more is probably due at once (a backlog starting). */
  const tick = async (): Promise<boolean> => {
    let full = false;
    for (const { platform, worker } of workers) {
      try {
        if (!stopped && (await worker.pass()) >= CLAIM_BATCH) full = true;
        if (failing.delete(platform)) core.log.info({ platform }, 'outbox passes work again');
      } catch (err) {
        if (!failing.has(platform))
          core.log.warn({ platform, err: errorText(err) }, 'outbox pass failed (database unreachable?); retrying');
        failing.add(platform);
      }
    }
    return full;
  };
  const schedule = (full = false): void => {
    if (stopped) return;
    const now = core.clock().getTime();
    let wake = full ? now : now + intervalMs;
    // While passes fail, keep to the interval: freed channels would only hit the same outage.
    if (failing.size === 0) for (const { worker } of workers) wake = Math.min(wake, worker.nextFreeAt() ?? wake);
    timer = setTimeout(
      () => {
        // Rows claimed ahead go out now, even while an earlier pass is still claiming.
        for (const { worker } of workers) worker.startDue();
        passing = passing.then(tick).then(schedule);
      },
      Math.max(MIN_PASS_GAP_MS, wake - now),
    );
    timer.unref?.();
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await passing;
      await Promise.all(workers.map((w) => w.worker.stop()));
    },
  };
}

/** Pending rows, for /metrics and the digest. */
export async function outboxDepth(core: Core): Promise<number> {
  const [row] = await core.db
    .select({ n: sql<number>`count(*)::int` })
    .from(outbox)
    .where(eq(outbox.status, 'pending'));
  return row?.n ?? 0;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SendTimeout(`no answer within ${ms} ms`)), ms);
    timer.unref?.();
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
