import { eq } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../../src/db/schema.js';
import { enqueue } from '../../src/outbox/enqueue.js';
import { createOutboxWorker } from '../../src/outbox/worker.js';
import { SlackDeliverer } from '../../src/platforms/slack/deliverer.js';
import { FakeSlackApi } from '../fakes/slack/web-api.js';
import { startJobsCore, type TestCore } from '../jobs/db.js';

/**
 * Issue 12, defect 4: during a Slack outage a channel's backlog used to be tried about four times
 * a second (siblings released "due now" past their own backoff), so an outage over ~75 s killed
 * it. The real Slack deliverer talks to the fake Web API; the worker runs on a controlled clock.
 */
const STEP_MS = 250;
const OUTAGE_MS = 10 * 60_000;
let now = new Date('2026-12-02T01:00:00Z');
const clock = () => now;
let env: TestCore;
let api: FakeSlackApi;

beforeAll(async () => {
  env = await startJobsCore(clock);
  api = await new FakeSlackApi().start();
});
afterAll(async () => {
  await api?.close();
  await env?.close();
});

async function queueBacklog(channel: string, count: number): Promise<string[]> {
  const texts = Array.from({ length: count }, (_, i) => `backlog ${String(i + 1).padStart(2, '0')}`);
  await env.core.db.transaction(async (tx) => {
    for (const text of texts)
      await enqueue(tx, {
        dedupeKey: `outage:${channel}:${text}`,
        platform: 'slack',
        channel,
        message: { kind: 'post', reply: { audience: 'channel', ticket: null, error: null, text } },
        at: now,
      });
  });
  return texts;
}

describe('defect 4 (issue 12): a long outage', () => {
  it('defect 4: a 10-minute Slack 500 outage with a backlog of 50 in one channel: attempts stay well under 1/s, and after recovery all 50 are delivered once, in order', async () => {
    const channel = 'CBACKLOG';
    const texts = await queueBacklog(channel, 50);
    const deliverer = new SlackDeliverer('xoxb-test', { slackApiUrl: api.apiUrl, logger: undefined });
    const worker = createOutboxWorker({ ...env.core, log: pino({ level: 'silent' }) }, deliverer);
    const step = async () => {
      await worker.pass();
      await worker.idle();
      now = new Date(now.getTime() + STEP_MS);
    };

    api.outage(500);
    const outageEnds = now.getTime() + OUTAGE_MS;
    while (now.getTime() < outageEnds) await step();
    const duringOutage = api.calls.filter((c) => c.method === 'chat.postMessage');
    api.outage(undefined);

    // Bounded: the channel backs off as a whole (exponential, jittered, capped at 5 min).
    expect(duringOutage.every((c) => c.answer === 'error')).toBe(true);
    expect(duringOutage.length).toBeGreaterThanOrEqual(5);
    expect(duringOutage.length).toBeLessThanOrEqual(15);
    expect(duringOutage.length / (OUTAGE_MS / 1000)).toBeLessThan(0.05); // per second
    const during = await env.core.db.select().from(outbox).where(eq(outbox.channel, channel));
    expect(during.filter((r) => r.status !== 'pending')).toEqual([]); // nothing lost in the outage
    // Only the head was tried; the rest waited behind it, never claimed.
    expect(during.filter((r) => r.attempts > 0)).toHaveLength(1);

    // Recovery: the head's next retry is at most 5 minutes away, then one message a second.
    for (let i = 0; i < (6 * 60_000) / STEP_MS; i++) {
      await step();
      const pending = await env.core.db.select({ id: outbox.id }).from(outbox).where(eq(outbox.status, 'pending'));
      if (pending.length === 0) break;
    }
    const delivered = api.ok('chat.postMessage').filter((c) => c.args.channel === channel);
    expect(delivered.map((c) => c.args.text)).toEqual(texts); // each once, in queue order
    const rows = await env.core.db.select().from(outbox).where(eq(outbox.channel, channel));
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
    const sentAt = rows.map((r) => r.sentAt!.getTime()).sort((a, b) => a - b);
    for (let i = 1; i < sentAt.length; i++) expect(sentAt[i]! - sentAt[i - 1]!).toBeGreaterThanOrEqual(1000);
  }, 120_000);
});
