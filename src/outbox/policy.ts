/**
 * How the outbox delivers. Delivery is at-least-once with the window made as small as it can be:
 * a channel's head row is claimed (leased) in a short transaction, sent with no transaction open,
 * then marked. A process that dies after the claim leaves a lease that runs out; the row is
 * claimed again.
 */
export interface OutboxPolicy {
  /** A claimed row stays invisible to other workers this long; a crash makes it claimable after. */
  leaseMs: number;
  /** A send that has not answered by then counts as failed, well inside the lease. */
  sendTimeoutMs: number;
  /**
   * Transient failures (5xx, network, timeouts, a crash mid-send) before a row is kept as `dead`.
   * With the default backoff that is over half an hour of failures: an outage of minutes loses
   * nothing. A permanent failure goes dead at once.
   */
  maxAttempts: number;
  /**
   * Wait before the n-th retry (n from 1) of a channel's head. The rest of the channel waits
   * behind its head, so this is how the whole channel backs off during an outage.
   */
  backoffMs(attempt: number): number;
  /** Gap between two messages in one channel (Slack allows about one a second per channel). */
  paceMs(platform: string): number;
}

/** The longest a channel waits between two tries during an outage. */
const BACKOFF_CAP_MS = 300_000;

/**
 * Exponential from one second, capped at five minutes, with "equal jitter" (half fixed, half
 * random), so channels that failed together in one outage do not all come back in the same tick.
 */
export function jitteredBackoffMs(attempt: number, random: () => number = Math.random): number {
  const full = Math.min(BACKOFF_CAP_MS, 1000 * 2 ** Math.max(0, attempt - 1));
  return Math.round(full / 2 + (full / 2) * random());
}

export const DEFAULT_POLICY: OutboxPolicy = {
  leaseMs: 30_000,
  sendTimeoutMs: 15_000,
  maxAttempts: 20,
  backoffMs: (n) => jitteredBackoffMs(n),
  paceMs: (platform) => (platform === 'console' ? 0 : 1000),
};

export function policyWith(overrides: Partial<OutboxPolicy> = {}): OutboxPolicy {
  return { ...DEFAULT_POLICY, ...overrides };
}
