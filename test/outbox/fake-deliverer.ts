import type { MessageRef } from '../../src/db/schema.js';
import { type Deliverer, PermanentDeliveryError, RateLimited, TransientDeliveryError } from '../../src/outbox/types.js';
import type { Reply } from '../../src/reply.js';

export interface Call {
  op: 'post' | 'edit' | 'dm';
  channel: string;
  text: string;
  at: number;
  outcome: 'ok' | '429' | 'error' | 'hung';
  thread?: string;
}

/**
 * Stands in for a chat platform's servers: records every call with the (fake) clock's time and
 * answers per channel as told — a number of 429s, a number of errors, or never.
 */
export function fakeDeliverer(platform: string, clock: () => Date) {
  const calls: Call[] = [];
  const rateLimits = new Map<string, { left: number; retryAfterMs: number }>();
  const failures = new Map<string, number>();
  const refusals = new Map<string, string>();
  const hangs = new Set<string>();
  let seq = 0;
  const attempt = (op: Call['op'], channel: string, reply: Reply, thread?: MessageRef): MessageRef | Promise<never> => {
    const call: Call = {
      op,
      channel,
      text: reply.text,
      at: clock().getTime(),
      outcome: 'ok',
      thread: thread?.messageId,
    };
    calls.push(call);
    if (hangs.has(channel)) {
      call.outcome = 'hung';
      return new Promise<never>(() => {});
    }
    const limit = rateLimits.get(channel);
    if (limit && limit.left > 0) {
      limit.left--;
      call.outcome = '429';
      throw new RateLimited(limit.retryAfterMs);
    }
    const fails = failures.get(channel) ?? 0;
    if (fails > 0) {
      failures.set(channel, fails - 1);
      call.outcome = 'error';
      throw new TransientDeliveryError('http_500');
    }
    const refused = refusals.get(channel);
    if (refused) {
      call.outcome = 'error';
      throw new PermanentDeliveryError(refused);
    }
    return { platform, channel, messageId: `m${++seq}` };
  };
  const deliverer: Deliverer = {
    platform,
    post: async (channel, reply, thread) => attempt('post', channel, reply, thread),
    edit: async (ref, reply) => {
      await attempt('edit', ref.channel, reply);
    },
    dm: async (userKey, reply) => attempt('dm', `dm:${userKey}`, reply),
  };
  return {
    deliverer,
    calls,
    delivered: () => calls.filter((c) => c.outcome === 'ok'),
    rateLimit: (channel: string, times: number, retryAfterMs: number) =>
      rateLimits.set(channel, { left: times, retryAfterMs }),
    /** The next `times` sends to `channel` fail as a 5xx would (transient). */
    fail: (channel: string, times: number) => failures.set(channel, times),
    /** Every send to `channel` is refused for good with this code (a permanent error). */
    refuse: (channel: string, code: string) => refusals.set(channel, code),
    hang: (channel: string) => hangs.add(channel),
  };
}
