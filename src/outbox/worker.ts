import { eq, sql } from 'drizzle-orm';
import type { Core } from '../app.js';
import { outbox } from '../db/schema.js';
import { claimDue, claimNextHead, giveBack } from './claim.js';
import { coalesceEdits } from './coalesce.js';
import { ChannelPauses } from './pace.js';
import { type OutboxPolicy, policyWith } from './policy.js';
import { type Outcome, recordFailure, recordSent } from './retry.js';
import { errorText, type Row, sendRow } from './send.js';
import type { Deliverer } from './types.js';

export { DEFAULT_POLICY, type OutboxPolicy } from './policy.js';

/** Channels one pass of the paced worker starts at most. */
const CLAIM_BATCH = 16;
/** Passes are at least this far apart, so channels freed within it are claimed together. */
const MIN_PASS_GAP_MS = 10;

/** Sends one claimed row (an edit carrying the newest queued edit of its message) and records the answer. */
async function deliverClaimed(core: Core, deliverer: Deliverer, row: Row, policy: OutboxPolicy): Promise<Outcome> {
  let ref: Awaited<ReturnType<typeof sendRow>>;
  let superseded: number[] = [];
  try {
    const merged = await coalesceEdits(core, row);
    superseded = merged.superseded;
    ref = await sendRow(core, deliverer, merged.send, policy.sendTimeoutMs);
  } catch (err) {
    return recordFailure(core, row, err, policy);
  }
  return recordSent(core, row, ref, superseded);
}

/**
 * One pass over the due rows of one platform, unpaced: claim, deliver in order, record where each
 * message landed. Returns how many rows it settled (sent, or given up as dead: a dead row queues
 * its notice, which the next pass sends); the console and tests call it until it returns 0. A
 * message that will be retried holds back the rest of its channel, so a thread keeps its order.
 */
export async function deliverDue(
  core: Core,
  deliverer: Deliverer,
  opts: { limit?: number; policy?: Partial<OutboxPolicy> } = {},
): Promise<number> {
  const policy = policyWith(opts.policy);
  const now = core.clock();
  const { rows } = await claimDue(core, deliverer.platform, now, policy.leaseMs, {
    limit: opts.limit ?? 100,
    mode: 'dueRuns',
  });
  const held = new Map<string, Date>();
  const carried = new Set<number>();
  let settled = 0;
  for (const row of rows) {
    if (carried.has(row.id)) {
      settled++; // delivered with an earlier edit of the same message
      continue;
    }
    const until = held.get(row.channel);
    if (until) {
      await giveBack(core, row, until);
      continue;
    }
    const outcome = await deliverClaimed(core, deliverer, row, policy);
    if (outcome.kind === 'sent') for (const id of outcome.superseded) carried.add(id);
    if (outcome.kind === 'sent' || (outcome.kind === 'failed' && outcome.dead)) settled++;
    else held.set(row.channel, outcome.kind === 'rate_limited' ? outcome.until : now);
  }
  return settled;
}

export interface OutboxWorker {
  /** Starts what is due: rows claimed ahead whose pace has passed, and claims on free channels. */
  pass(): Promise<number>;
  /** Starts the rows claimed ahead whose pace has passed; no database work, so it never waits. */
  startDue(): number;
  /** Resolves when every send started so far has finished and been recorded. */
  idle(): Promise<void>;
  /** When (clock ms) the first channel now waiting (pace, Retry-After, backoff) may send again. */
  nextFreeAt(): number | undefined;
  /** Claims no more ahead, waits for sends under way, and gives back the rows claimed ahead. */
  stop(): Promise<void>;
}

/**
 * The paced worker for one platform: one message at a time per channel, in queue order, `paceMs`
 * apart; a 429 pauses its own channel for Retry-After and a failure backs its channel off, other
 * channels going on meanwhile. After a send, the lane claims its channel's next row at once, so
 * when the pace has passed that row goes out without waiting for a claim.
 */
export function createOutboxWorker(
  core: Core,
  deliverer: Deliverer,
  policyIn: Partial<OutboxPolicy> = {},
): OutboxWorker {
  const policy = policyWith(policyIn);
  const platform = deliverer.platform;
  const busy = new Map<string, Promise<void>>();
  const pauses = new ChannelPauses();
  /** A channel's next row, claimed while its pace runs; started once the pace is over. */
  const ahead = new Map<string, { row: Row; leaseUntil: Date; dueAt: Date }>();
  let stopping = false;

  const lane = async (row: Row) => {
    const outcome = await deliverClaimed(core, deliverer, row, policy);
    if (outcome.kind === 'rate_limited') pauses.pause(row.channel, outcome.until.getTime());
    if (outcome.kind === 'failed' && !outcome.dead) pauses.pause(row.channel, outcome.retryAt.getTime());
    if (outcome.kind !== 'sent' || stopping) return;
    // The pace counts from the platform's answer, not from when the database recorded it.
    const dueAt = new Date(outcome.at.getTime() + policy.paceMs(platform));
    if (dueAt > outcome.at) pauses.pause(row.channel, dueAt.getTime());
    const next = await claimNextHead(core, platform, row.channel, dueAt, policy.leaseMs);
    if (next) ahead.set(row.channel, { ...next, dueAt });
  };

  const start = (row: Row) => {
    const run = lane(row)
      .catch((err) => core.log.warn({ platform, channel: row.channel, err: errorText(err) }, 'outbox lane failed'))
      .finally(() => busy.delete(row.channel));
    busy.set(row.channel, run);
  };

  const idle = async () => {
    while (busy.size > 0) await Promise.all([...busy.values()]);
  };

  const startDue = () => {
    if (stopping) return 0;
    pauses.expire(core.clock().getTime());
    let started = 0;
    for (const [channel, next] of ahead)
      if (!pauses.has(channel)) {
        ahead.delete(channel);
        start(next.row);
        started++;
      }
    return started;
  };

  return {
    startDue,
    async pass() {
      if (stopping) return 0;
      const started = startDue();
      const skipChannels = [...busy.keys(), ...pauses.channels(), ...ahead.keys()];
      const { rows } = await claimDue(core, platform, core.clock(), policy.leaseMs, {
        limit: CLAIM_BATCH,
        mode: 'heads',
        skipChannels,
      });
      for (const row of rows) start(row);
      return started + rows.length;
    },
    idle,
    nextFreeAt: () => pauses.nextFreeAt(),
    async stop() {
      stopping = true;
      await idle();
      const held = [...ahead.values()];
      ahead.clear();
      for (const { row, leaseUntil, dueAt } of held) await giveBack(core, row, dueAt, { ifLeasedUntil: leaseUntil });
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
