import { and, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src/app.js';
import { outbox } from '../../src/db/schema.js';
import { enqueue } from '../../src/outbox/enqueue.js';
import { outboxMetrics } from '../../src/outbox/metrics.js';
import { holdChannel } from '../../src/outbox/pace.js';
import { createOutboxWorker, deliverDue, type OutboxPolicy } from '../../src/outbox/worker.js';
import { startJobsCore, type TestCore } from '../jobs/db.js';
import { fakeDeliverer } from './fake-deliverer.js';
import { capturedLog } from './log-capture.js';

let now = new Date('2026-11-28T01:00:00Z');
const clock = () => now;
let env: TestCore;
let core: Core;
const { log, lines: logLines } = capturedLog();

beforeAll(async () => {
  env = await startJobsCore(clock);
  core = { ...env.core, log };
});
afterAll(async () => {
  await env.close();
});

let tag = 0;
/** Queues plain channel posts (what a job or command writes) and returns their dedupe keys. */
async function queue(platform: string, channel: string, count: number): Promise<string[]> {
  tag++;
  const keys = Array.from({ length: count }, (_, i) => `test:${tag}:${channel}:${i + 1}`);
  await core.db.transaction(async (tx) => {
    for (const key of keys)
      await enqueue(tx, {
        dedupeKey: key,
        platform,
        channel,
        message: { kind: 'post', reply: { audience: 'channel', ticket: null, error: null, text: key } },
        at: now,
      });
  });
  return keys;
}

/** Runs the paced worker on the fake clock, a quarter second per step, until nothing is pending. */
async function drain(worker: ReturnType<typeof createOutboxWorker>, platform: string, maxSteps = 4000) {
  for (let step = 0; step < maxSteps; step++) {
    await worker.pass();
    await worker.idle();
    const pending = await core.db
      .select({ id: outbox.id })
      .from(outbox)
      .where(and(eq(outbox.platform, platform), eq(outbox.status, 'pending')));
    if (pending.length === 0) return step;
    now = new Date(now.getTime() + 250);
  }
  throw new Error('outbox did not drain');
}

describe('outbox worker (DESIGN §6)', () => {
  it('a 429 storm on one channel: every message once, in order, paced ~1/s per channel, other channels not stalled', async () => {
    const fake = fakeDeliverer('storm', clock);
    fake.rateLimit('C-storm', 6, 3000);
    const storm = await queue('storm', 'C-storm', 5);
    const calm = [...(await queue('storm', 'C-calm1', 5)), ...(await queue('storm', 'C-calm2', 5))];
    await drain(createOutboxWorker(core, fake.deliverer), 'storm');

    const ok = fake.delivered();
    expect(ok.map((c) => c.text).sort()).toEqual([...storm, ...calm].sort()); // each exactly once
    for (const channel of ['C-storm', 'C-calm1', 'C-calm2']) {
      const sends = ok.filter((c) => c.channel === channel);
      expect(sends.map((c) => c.text)).toEqual([...sends.map((c) => c.text)].sort()); // in queue order
      for (let i = 1; i < sends.length; i++) expect(sends[i]!.at - sends[i - 1]!.at).toBeGreaterThanOrEqual(1000);
    }
    // After every 429 the channel waited its Retry-After before the next try.
    const stormCalls = fake.calls.filter((c) => c.channel === 'C-storm');
    expect(stormCalls.filter((c) => c.outcome === '429')).toHaveLength(6);
    for (let i = 1; i < stormCalls.length; i++)
      if (stormCalls[i - 1]!.outcome === '429')
        expect(stormCalls[i]!.at - stormCalls[i - 1]!.at).toBeGreaterThanOrEqual(3000);
    // The calm channels finished while the storm still raged.
    const lastCalm = Math.max(...ok.filter((c) => c.channel !== 'C-storm').map((c) => c.at));
    const firstStorm = Math.min(...ok.filter((c) => c.channel === 'C-storm').map((c) => c.at));
    expect(lastCalm).toBeLessThan(firstStorm);
    // A 429 is not a failed attempt; the platform's message id is kept on the row.
    const rows = await core.db.select().from(outbox).where(eq(outbox.platform, 'storm'));
    expect(rows.every((r) => r.status === 'sent' && r.attempts === 1 && r.platformMessageId?.startsWith('m'))).toBe(
      true,
    );
  });

  it('backs off on transient errors, and after N failures keeps the row as dead with a log line and a metric', async () => {
    const fake = fakeDeliverer('broken', clock);
    fake.fail('C-broken', 1000);
    const [doomed] = await queue('broken', 'C-broken', 1);
    const deadBefore = (await outboxMetrics.dead.get()).values.find((v) => v.labels.platform === 'broken')?.value ?? 0;
    const policy: Partial<OutboxPolicy> = { maxAttempts: 4 };
    await drain(createOutboxWorker(core, fake.deliverer, policy), 'broken');

    const [row] = await core.db.select().from(outbox).where(eq(outbox.dedupeKey, doomed!));
    expect(row?.status).toBe('dead');
    expect(row?.attempts).toBe(4);
    expect(row?.lastErrorCode).toBe('http_500');
    const tries = fake.calls.filter((c) => c.channel === 'C-broken').map((c) => c.at);
    expect(tries).toHaveLength(4);
    // Waits grow: 1 s, 2 s, 4 s, each with up to half of it taken off at random (jitter); the
    // worker steps a quarter second at a time.
    const waits = tries.slice(1).map((t, i) => t - tries[i]!);
    for (const [i, wait] of waits.entries()) {
      expect(wait).toBeGreaterThanOrEqual(500 * 2 ** i);
      expect(wait).toBeLessThanOrEqual(1000 * 2 ** i + 250);
    }
    expect(logLines.some((l) => String(l.msg).startsWith('outbox message dead') && l.outboxId === row?.id)).toBe(true);
    const deadAfter = (await outboxMetrics.dead.get()).values.find((v) => v.labels.platform === 'broken')?.value ?? 0;
    expect(deadAfter - deadBefore).toBe(1);
  });

  it('a claim whose sender died is claimable again after its lease: delivered once, by the survivor', async () => {
    const dying = fakeDeliverer('lease', clock);
    dying.hang('C-lease');
    const survivor = fakeDeliverer('lease', clock);
    const keys = await queue('lease', 'C-lease', 3);
    const policy: Partial<OutboxPolicy> = { leaseMs: 30_000, sendTimeoutMs: 60_000 };

    // The first worker claims the head and never comes back (as if killed mid-send).
    expect(await createOutboxWorker(core, dying.deliverer, policy).pass()).toBe(1);
    const second = createOutboxWorker(core, survivor.deliverer, policy);
    now = new Date(now.getTime() + 29_000);
    await second.pass();
    await second.idle();
    expect(survivor.calls).toHaveLength(0); // still leased, and the rest of the channel waits behind it
    now = new Date(now.getTime() + 1_000);
    await drain(second, 'lease');
    expect(survivor.delivered().map((c) => c.text)).toEqual(keys);
    const rows = await core.db.select().from(outbox).where(like(outbox.dedupeKey, `test:%:C-lease:%`));
    expect(rows.find((r) => r.dedupeKey === keys[0])?.attempts).toBe(2);
  });

  it('a stopping worker gives back the row it claimed ahead: due after the pace, the claim uncounted', async () => {
    const first = fakeDeliverer('ahead', clock);
    const keys = await queue('ahead', 'C-ahead', 3);
    const worker = createOutboxWorker(core, first.deliverer);
    await worker.pass();
    await worker.idle();
    await worker.stop(); // the first message went out and the second was claimed ahead
    const rows = await core.db.select().from(outbox).where(eq(outbox.platform, 'ahead')).orderBy(outbox.id);
    expect(rows.map((r) => [r.status, r.attempts])).toEqual([
      ['sent', 1],
      ['pending', 0],
      ['pending', 0],
    ]);
    // The channel's new head carries the pace for the rows behind it (only a head is ever sent).
    expect(rows[1]?.notBefore.getTime()).toBe(now.getTime() + 1000);
    const paceEnds = now.getTime() + 1000;
    const next = fakeDeliverer('ahead', clock); // another instance, or this one restarted
    await drain(createOutboxWorker(core, next.deliverer), 'ahead');
    expect([...first.delivered(), ...next.delivered()].map((c) => c.text)).toEqual(keys);
    expect(next.delivered()[0]?.at).toBeGreaterThanOrEqual(paceEnds);
  });

  it('a pace or Retry-After hold writes one row however deep the backlog, and nothing behind it goes first', async () => {
    const keys = await queue('deep', 'C-deep', 200);
    const holdUntil = new Date(now.getTime() + 30_000);
    await holdChannel(core.db, 'deep', 'C-deep', holdUntil);
    const rows = await core.db.select().from(outbox).where(eq(outbox.platform, 'deep')).orderBy(outbox.id);
    expect(rows.filter((r) => r.notBefore.getTime() === holdUntil.getTime()).map((r) => r.dedupeKey)).toEqual([
      keys[0],
    ]);
    const early = fakeDeliverer('deep', clock);
    const worker = createOutboxWorker(core, early.deliverer);
    now = new Date(now.getTime() + 29_000);
    await worker.pass();
    await worker.idle();
    expect(early.calls).toHaveLength(0); // 199 rows are due, but none is the head
    await worker.stop();
  });

  it('deliverDue (console, tests) delivers every due row in one pass, in order', async () => {
    const fake = fakeDeliverer('console', clock);
    const keys = [...(await queue('console', 'team-x', 3)), ...(await queue('console', 'team-y', 2))];
    expect(await deliverDue(core, fake.deliverer)).toBe(5);
    expect(fake.delivered().map((c) => c.text)).toEqual(keys);
    expect(await deliverDue(core, fake.deliverer)).toBe(0);
  });
});

describe('defect 4 (issue 12): backoff is never shortened by a sibling', () => {
  it("defect 4: a row's own not_before stands when the pace after the row ahead of it would free it sooner", async () => {
    const fake = fakeDeliverer('own', clock);
    const keys = await queue('own', 'C-own', 3);
    const start = now.getTime();
    // The second row waits out a retry of its own (a minute), as after a failure.
    await core.db
      .update(outbox)
      .set({ notBefore: new Date(start + 60_000) })
      .where(eq(outbox.dedupeKey, keys[1]!));
    await drain(createOutboxWorker(core, fake.deliverer), 'own');

    const sends = fake.delivered();
    expect(sends.map((c) => c.text)).toEqual(keys); // the third never overtakes the second
    expect(sends[0]!.at).toBe(start);
    expect(sends[1]!.at).toBeGreaterThanOrEqual(start + 60_000); // not at start + 1 s
    expect(sends[2]!.at - sends[1]!.at).toBeGreaterThanOrEqual(1000);
  });

  it('defect 4: a head failing transiently backs its whole channel off: nothing behind it is tried meanwhile', async () => {
    const fake = fakeDeliverer('head', clock);
    fake.fail('C-head', 3);
    const keys = await queue('head', 'C-head', 4);
    await drain(createOutboxWorker(core, fake.deliverer), 'head');

    const calls = fake.calls.filter((c) => c.channel === 'C-head');
    expect(calls.map((c) => [c.text, c.outcome])).toEqual([
      [keys[0], 'error'],
      [keys[0], 'error'],
      [keys[0], 'error'],
      [keys[0], 'ok'],
      [keys[1], 'ok'],
      [keys[2], 'ok'],
      [keys[3], 'ok'],
    ]);
    const rows = await core.db.select().from(outbox).where(eq(outbox.platform, 'head')).orderBy(outbox.id);
    expect(rows.map((r) => [r.status, r.attempts])).toEqual([
      ['sent', 4],
      ['sent', 1],
      ['sent', 1],
      ['sent', 1],
    ]);
  });

  it('defect 4: a permanent error kills only its own row, at once; the channel goes on with the next', async () => {
    const fake = fakeDeliverer('perm', clock);
    const keys = await queue('perm', 'C-perm', 2);
    fake.refuse('C-perm', 'missing_access');
    const worker = createOutboxWorker(core, fake.deliverer);
    await worker.pass();
    await worker.idle();
    await worker.pass();
    await worker.idle();
    const rows = await core.db.select().from(outbox).where(eq(outbox.platform, 'perm')).orderBy(outbox.id);
    expect(rows.map((r) => [r.dedupeKey, r.status, r.attempts, r.lastErrorCode])).toEqual([
      [keys[0], 'dead', 1, 'missing_access'],
      [keys[1], 'dead', 1, 'missing_access'],
    ]);
    expect(fake.calls).toHaveLength(2);
  });
});
