import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Core } from '../app.js';
import { type MessageRef, outbox } from '../db/schema.js';
import { markDead } from './dead-letters.js';
import { outboxMetrics } from './metrics.js';
import type { OutboxPolicy } from './policy.js';
import { errorText, type Row } from './send.js';
import { PermanentDeliveryError, RateLimited, TransientDeliveryError, WaitingForTarget } from './types.js';

/**
 * Retrying: what one send's answer does to its row. Sent: recorded. 429: the claim is given back
 * uncounted and the channel holds for Retry-After. Permanent (the deliverer says retrying cannot
 * help): dead at once. Anything else: the row, which is its channel's head, backs off
 * exponentially, and its channel with it; dead only after the policy's attempts.
 */
export type Outcome =
  | { kind: 'sent'; at: Date; superseded: number[] }
  | { kind: 'rate_limited'; until: Date }
  | { kind: 'failed'; dead: boolean; retryAt: Date };

/**
 * Records a sent row. A database error here propagates: the lease then runs out and the row is
 * sent again (the one window of at-least-once this design keeps; see `findDelivered`).
 */
export async function recordSent(
  core: Core,
  row: Row,
  ref: MessageRef | null,
  superseded: number[] = [],
): Promise<Outcome> {
  const sentAt = core.clock();
  const set = {
    status: 'sent',
    sentAt,
    platformMessageId: ref?.messageId ?? null,
    lastError: null,
    lastErrorCode: null,
  };
  await core.db.update(outbox).set(set).where(eq(outbox.id, row.id));
  // Edits of the same message that this send carried (coalesce.ts): delivered with it.
  if (superseded.length > 0)
    await core.db
      .update(outbox)
      .set(set)
      .where(and(inArray(outbox.id, superseded), eq(outbox.status, 'pending')));
  outboxMetrics.sent.inc({ platform: row.platform }, 1 + superseded.length);
  return { kind: 'sent', at: sentAt, superseded };
}

export async function recordFailure(core: Core, row: Row, err: unknown, policy: OutboxPolicy): Promise<Outcome> {
  const now = core.clock();
  if (err instanceof RateLimited) {
    // Not the message's fault: the claim is given back, uncounted.
    if (!(err instanceof WaitingForTarget)) outboxMetrics.rateLimited.inc({ platform: row.platform });
    const until = new Date(now.getTime() + err.retryAfterMs);
    // The row is its channel's head, so this holds the whole channel back, on every instance,
    // until Retry-After (pace.ts: the head carries a channel's hold).
    await core.db
      .update(outbox)
      .set({ notBefore: until, attempts: sql`${outbox.attempts} - 1` })
      .where(eq(outbox.id, row.id));
    return { kind: 'rate_limited', until };
  }
  const permanent = err instanceof PermanentDeliveryError;
  const code = permanent || err instanceof TransientDeliveryError ? err.code : 'error';
  const message = errorText(err);
  if (permanent || row.attempts >= policy.maxAttempts) {
    await markDead(core, row, { code, message }, now);
    return { kind: 'failed', dead: true, retryAt: now };
  }
  outboxMetrics.retries.inc({ platform: row.platform });
  const retryAt = new Date(now.getTime() + policy.backoffMs(row.attempts));
  core.log.warn(
    { outboxId: row.id, platform: row.platform, channel: row.channel, attempts: row.attempts, code, err: message },
    'outbox delivery failed; its channel backs off and retries',
  );
  await core.db
    .update(outbox)
    .set({ lastError: message.slice(0, 500), lastErrorCode: code, notBefore: retryAt })
    .where(eq(outbox.id, row.id));
  return { kind: 'failed', dead: false, retryAt };
}
