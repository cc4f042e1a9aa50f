import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src/app.js';
import { outbox } from '../../src/db/schema.js';
import { age, runOutboxCli } from '../../src/outbox/cli.js';
import { outboxHealth } from '../../src/outbox/dead-letters.js';
import { enqueue } from '../../src/outbox/enqueue.js';
import { deliverDue } from '../../src/outbox/worker.js';
import { startJobsCore, type TestCore } from '../jobs/db.js';
import { fakeDeliverer } from './fake-deliverer.js';
import { capturedLog } from './log-capture.js';

/** Issue 12, defect 4: `posko outbox dead` and `posko outbox retry`, run on a real database. */
let now = new Date('2026-12-02T03:00:00Z');
const clock = () => now;
let env: TestCore;
let core: Core;
const { log, lines: logLines } = capturedLog();
const CUSTOMER_TEXT = 'Siti Rahma 081234567890 internet mati';

beforeAll(async () => {
  env = await startJobsCore(clock);
  core = { ...env.core, log };
});
afterAll(async () => {
  await env?.close();
});

/** Runs the CLI as `npx posko outbox …` would, capturing what it prints. */
async function cli(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runOutboxCli(core, args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** Queues messages to channels the platform refuses for good, and lets them die. */
async function deadLetters(channel: string, count: number): Promise<number[]> {
  const fake = fakeDeliverer('slack', clock);
  fake.refuse(channel, 'channel_not_found');
  await core.db.transaction(async (tx) => {
    for (let i = 0; i < count; i++)
      await enqueue(tx, {
        dedupeKey: `cli:${channel}:${i}`,
        platform: 'slack',
        channel,
        message: { kind: 'post', reply: { audience: 'channel', ticket: null, error: null, text: CUSTOMER_TEXT } },
        at: now,
      });
  });
  while ((await deliverDue(core, fake.deliverer)) > 0);
  const rows = await core.db.select().from(outbox).where(eq(outbox.channel, channel)).orderBy(outbox.id);
  expect(rows.every((r) => r.status === 'dead')).toBe(true);
  return rows.map((r) => r.id);
}

describe('defect 4 (issue 12): dead letters from the command line', () => {
  it('defect 4: `posko outbox dead` lists id, platform, channel, age and error code, and no message text', async () => {
    expect((await cli('dead')).out).toBe('no dead letters');
    const ids = await deadLetters('CDEAD1', 2);
    now = new Date(now.getTime() + 3 * 3_600_000 + 5 * 60_000);
    const { code, out } = await cli('dead');
    expect(code).toBe(0);
    const lines = out.split('\n');
    expect(lines[0]).toMatch(/^id\s+platform\s+channel\s+age\s+error$/);
    for (const [i, id] of ids.entries())
      expect(lines[i + 1]?.split(/\s+/)).toEqual([String(id), 'slack', 'CDEAD1', '3h05m', 'channel_not_found']);
    expect(out).not.toContain('Siti');
    expect(out).not.toContain('0812');
  });

  it('defect 4: `posko outbox retry <id>` re-queues that dead letter, due now, and logs who did it', async () => {
    const ids = await deadLetters('CDEAD2', 2);
    const { code, out } = await cli('retry', String(ids[0]));
    expect(code).toBe(0);
    expect(out).toContain(String(ids[0]));
    const rows = await core.db.select().from(outbox).where(inArray(outbox.id, ids)).orderBy(outbox.id);
    expect(rows.map((r) => [r.status, r.attempts, r.deadAt])).toEqual([
      ['pending', 0, null],
      ['dead', 1, rows[1]!.deadAt],
    ]);
    expect(rows[0]!.notBefore.getTime()).toBe(now.getTime());
    const audit = logLines.find((l) => String(l.msg).includes('re-queued'));
    expect(audit?.outboxIds).toEqual([ids[0]]);
    expect(typeof audit?.by).toBe('string');
    expect(JSON.stringify(logLines)).not.toContain('Siti'); // neither the death nor the retry logs text
  });

  it('defect 4: `posko outbox retry` with an unknown id says so, changes nothing and exits 2', async () => {
    const [id] = await deadLetters('CDEAD3', 1);
    const before = await core.db.select().from(outbox).orderBy(outbox.id);
    const unknown = await cli('retry', String(id), '999999');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('999999');
    expect(unknown.err).toMatch(/not a dead letter/);
    expect(await core.db.select().from(outbox).orderBy(outbox.id)).toEqual(before);
    const sent = before.find((r) => r.status === 'pending' || r.status === 'sent');
    if (sent) expect((await cli('retry', String(sent.id))).code).toBe(2);
    expect((await cli('retry')).code).toBe(2);
    expect((await cli('retry', 'abc')).code).toBe(2);
    expect((await cli('bury')).code).toBe(2);
  });

  it('defect 4: `posko outbox retry --all` re-queues every dead letter, and they are delivered when the channel is back', async () => {
    const health = await outboxHealth(core.db, now);
    expect(health.dead.slack).toBeGreaterThan(0);
    const { code, out } = await cli('retry', '--all');
    expect(code).toBe(0);
    expect(out).toMatch(/^re-queued \d+ dead letter/);
    expect((await core.db.select().from(outbox).where(eq(outbox.status, 'dead'))).length).toBe(0);
    const back = fakeDeliverer('slack', clock);
    while ((await deliverDue(core, back.deliverer)) > 0);
    expect((await outboxHealth(core.db, now)).dead).toEqual({});
    expect((await cli('dead')).out).toBe('no dead letters');
  });

  it('ages read at a glance', () => {
    expect([45_000, 12 * 60_000, 3 * 3_600_000 + 5 * 60_000, 50 * 3_600_000].map(age)).toEqual([
      '45s',
      '12m',
      '3h05m',
      '2d02h',
    ]);
  });
});
