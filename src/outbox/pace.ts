import { and, eq, min, sql } from 'drizzle-orm';
import type { Core } from '../app.js';
import type { Tx } from '../db/index.js';
import { outbox } from '../db/schema.js';
import { at } from '../services/sql-time.js';

/**
 * Pacing: when a channel may send again. After a send, the channel's next message waits the
 * platform's pace (about one a second per Slack channel); after a 429, Retry-After. Both are
 * floors: a row's `not_before` is only ever raised here, never lowered, so a row's own backoff
 * always stands. The floor is written for every instance; this process also keeps it in memory
 * to know when to wake up.
 */

/**
 * Holds the channel until `until` (never earlier than its head already waits). A channel sends
 * only its head (claim.ts), so the head carries the hold for all behind it: one row written,
 * however deep the backlog — holding every pending row rewrote a busy channel's whole queue after
 * each send (B1: 5,000 rows a second, a third of PostgreSQL's CPU).
 */
export async function holdChannel(db: Core['db'] | Tx, platform: string, channel: string, until: Date): Promise<void> {
  const pending = and(eq(outbox.platform, platform), eq(outbox.channel, channel), eq(outbox.status, 'pending'));
  const head = db
    .select({ id: min(outbox.id) })
    .from(outbox)
    .where(pending);
  await db
    .update(outbox)
    .set({ notBefore: sql`greatest(${outbox.notBefore}, ${at(until)})` })
    .where(and(eq(outbox.id, head), eq(outbox.status, 'pending')));
}

/** Channels of one worker waiting out a pace or a Retry-After, by clock ms. */
export class ChannelPauses {
  private readonly until = new Map<string, number>();

  pause(channel: string, untilMs: number): void {
    this.until.set(channel, Math.max(untilMs, this.until.get(channel) ?? 0));
  }

  /** Forgets pauses that are over at `nowMs`; the channels still paused remain. */
  expire(nowMs: number): void {
    for (const [channel, until] of this.until) if (until <= nowMs) this.until.delete(channel);
  }

  has(channel: string): boolean {
    return this.until.has(channel);
  }

  channels(): string[] {
    return [...this.until.keys()];
  }

  /** When the first paused channel may send again. */
  nextFreeAt(): number | undefined {
    let first: number | undefined;
    for (const until of this.until.values()) if (first === undefined || until < first) first = until;
    return first;
  }
}
