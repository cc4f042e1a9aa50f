import { and, asc, eq, gt, inArray, lt, lte, min, notInArray, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Core } from '../app.js';
import type { Tx } from '../db/index.js';
import { outbox } from '../db/schema.js';
import { holdChannel } from './pace.js';
import type { Row } from './send.js';

/**
 * Claiming: which rows may be sent now, taken so that no other worker (on any instance) sends
 * them too. "Channel" here is the row's `channel` column, a lane (lanes.ts: a channel's posts,
 * or its edits). A channel delivers in queue order: only its head, the oldest pending row, is ever
 * sent; the rows behind it wait, whatever their own `not_before`. So a head backing off holds
 * its channel back as a whole, a row's own backoff is never cut short by a sibling, and a row
 * claimed by a worker that died keeps its channel until the lease runs out.
 */

/** The same table again, for "the oldest pending row of this row's channel". */
const older = alias(outbox, 'older');

/**
 * Leases due rows of one platform with FOR UPDATE SKIP LOCKED: `not_before` moves to the lease's
 * end and `attempts` counts the claim, so a message that kills its sender still ends as dead.
 * `heads`: the head of each channel (one message at a time per channel, across instances).
 * `dueRuns`: every due row with nothing not-yet-due ahead of it (the unpaced console pass).
 * Each row is compared with its channel by a correlated `min(id)` (one probe of
 * `outbox_channel_pending_idx`): an anti-join here is planned quadratic on a freshly filled,
 * not yet analysed table (a second per claim at 2,000 rows).
 */
export async function claimDue(
  core: Core,
  platform: string,
  now: Date,
  leaseMs: number,
  opts: { limit: number; mode: 'heads' | 'dueRuns'; skipChannels?: string[] },
): Promise<{ rows: Row[]; leaseUntil: Date }> {
  const leaseUntil = new Date(now.getTime() + leaseMs);
  const rows = await core.db.transaction(async (tx) => {
    const due = await tx
      .select({ id: outbox.id })
      .from(outbox)
      .where(
        and(
          eq(outbox.platform, platform),
          eq(outbox.status, 'pending'),
          lte(outbox.notBefore, now),
          opts.skipChannels?.length ? notInArray(outbox.channel, opts.skipChannels) : undefined,
          opts.mode === 'heads' ? eq(outbox.id, oldestInChannel(tx)) : lt(outbox.id, oldestInChannel(tx, now)),
        ),
      )
      .orderBy(asc(outbox.id))
      .limit(opts.limit)
      .for('update', { skipLocked: true });
    if (due.length === 0) return [] as Row[];
    return tx
      .update(outbox)
      .set({ notBefore: leaseUntil, attempts: sql`${outbox.attempts} + 1` })
      .where(
        inArray(
          outbox.id,
          due.map((d) => d.id),
        ),
      )
      .returning();
  });
  return { rows: rows.sort((a, b) => a.id - b.id), leaseUntil };
}

/**
 * The id of the oldest pending row in the outer row's channel; with `notDueAt`, of the oldest
 * one not yet due then (or past every id when there is none).
 */
function oldestInChannel(tx: Tx, notDueAt?: Date): SQL {
  const first = tx
    .select({ id: min(older.id) })
    .from(older)
    .where(
      and(
        eq(older.platform, outbox.platform),
        eq(older.channel, outbox.channel),
        eq(older.status, 'pending'),
        notDueAt ? gt(older.notBefore, notDueAt) : undefined,
      ),
    );
  return notDueAt ? sql`coalesce((${first}), ${Number.MAX_SAFE_INTEGER})` : sql`(${first})`;
}

/**
 * Claims the channel's new head while the pace after a send runs, leased from `dueAt`, so it
 * goes out the moment the pace is over. Null when the channel is empty, its head is taken by
 * another worker, or the head's own `not_before` is later than `dueAt` (it keeps its backoff).
 */
export async function claimNextHead(
  core: Core,
  platform: string,
  channel: string,
  dueAt: Date,
  leaseMs: number,
): Promise<{ row: Row; leaseUntil: Date } | null> {
  const leaseUntil = new Date(dueAt.getTime() + leaseMs);
  return core.db.transaction(async (tx) => {
    // The pace is a floor for the channel (its head), for every instance, before the head is taken.
    await holdChannel(tx, platform, channel, dueAt);
    const channelPending = and(
      eq(outbox.platform, platform),
      eq(outbox.channel, channel),
      eq(outbox.status, 'pending'),
    );
    const oldest = tx
      .select({ id: min(outbox.id) })
      .from(outbox)
      .where(channelPending);
    const [head] = await tx
      .select({ id: outbox.id, notBefore: outbox.notBefore })
      .from(outbox)
      .where(and(eq(outbox.id, oldest), eq(outbox.status, 'pending')))
      .for('update', { skipLocked: true });
    if (!head || head.notBefore.getTime() > dueAt.getTime()) return null;
    const [row] = await tx
      .update(outbox)
      .set({ notBefore: leaseUntil, attempts: sql`${outbox.attempts} + 1` })
      .where(eq(outbox.id, head.id))
      .returning();
    return row ? { row, leaseUntil } : null;
  });
}

/**
 * Gives back a row claimed and not sent (a stopping worker's row claimed ahead, or a row behind
 * a failure in the unpaced pass): due at `at`, the claim uncounted. Only while the lease is ours.
 */
export async function giveBack(core: Core, row: Row, at: Date, opts: { ifLeasedUntil?: Date } = {}): Promise<void> {
  const ours = opts.ifLeasedUntil ? eq(outbox.notBefore, opts.ifLeasedUntil) : undefined;
  await core.db
    .update(outbox)
    .set({ notBefore: at, attempts: sql`${outbox.attempts} - 1` })
    .where(and(eq(outbox.id, row.id), ours));
}
