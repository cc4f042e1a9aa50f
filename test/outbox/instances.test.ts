import { spawn } from 'node:child_process';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src/app.js';
import { jobRuns, outbox, ticketEvents } from '../../src/db/schema.js';
import { remindersJob } from '../../src/jobs/reminders.js';
import { startScheduler } from '../../src/jobs/scheduler.js';
import { slaWatchJob } from '../../src/jobs/sla-watch.js';
import { enqueue } from '../../src/outbox/enqueue.js';
import { createOutboxWorker, startOutboxWorker } from '../../src/outbox/worker.js';
import { coreOn, openFor, pgUrl, startJobsCore, type TestCore } from '../jobs/db.js';
import { fakeDeliverer } from './fake-deliverer.js';

const HOUR = 3_600_000;
let offset = 0;
const clock = () => new Date(Date.now() + offset);
const ALL_DAY = { POSKO_WORKING_HOURS: '00-24' };
let env: TestCore;
let second: { core: Core; close(): Promise<void> };

beforeAll(async () => {
  if (!pgUrl) return;
  // The clock is the real time of day, and inform reminders wait for the customer's working
  // hours: the whole day is working time here, so the test does not depend on when it runs.
  env = await startJobsCore(clock, ALL_DAY);
  second = await coreOn(env.url, clock, ALL_DAY, true);
});
afterAll(async () => {
  await second?.close();
  await env?.close();
});

/** Polls the database until `done` holds; the cap only stops a broken run from hanging. */
async function until(done: () => Promise<boolean>, capMs = 20_000): Promise<void> {
  const start = Date.now();
  while (!(await done())) {
    if (Date.now() - start > capMs) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 100));
  }
}

// Several processes on one database need a real server: PGlite is one process's database.
describe.skipIf(!pgUrl)('several posko instances on one PostgreSQL', () => {
  it('a worker SIGKILLed between claim and send loses nothing: every message delivered once, after the lease', async () => {
    const keys = ['kill:1', 'kill:2', 'kill:3'];
    await env.core.db.transaction(async (tx) => {
      for (const key of keys)
        await enqueue(tx, {
          dedupeKey: key,
          platform: 'kill',
          channel: 'C-kill',
          message: { kind: 'post', reply: { audience: 'channel', ticket: null, error: null, text: key } },
          at: clock(),
        });
    });
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/outbox/fixtures/claim-and-hang.ts', env.url], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise((r) => child.on('exit', r));
    await new Promise<void>((resolve, reject) => {
      child.on('error', reject);
      child.stdout.on('data', (d) => String(d).includes('sending kill:1') && resolve());
    });
    child.kill('SIGKILL');
    await exited;

    const fake = fakeDeliverer('kill', clock);
    const worker = createOutboxWorker(env.core, fake.deliverer);
    await worker.pass();
    await worker.idle();
    expect(fake.calls).toHaveLength(0); // the dead worker's lease still holds the channel
    offset = 31_000; // the lease (30 s) has run out
    await until(async () => {
      await worker.pass();
      await worker.idle();
      return fake.delivered().length === 3;
    });
    offset = 0;
    expect(fake.delivered().map((c) => c.text)).toEqual(keys);
    const rows = await env.core.db.select().from(outbox).where(eq(outbox.platform, 'kill'));
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
    expect(rows.find((r) => r.dedupeKey === 'kill:1')?.attempts).toBe(2);
  }, 30_000);

  it('two instances, one database, ticks due: each job runs once per slot and each message is sent once', async () => {
    offset = -19 * HOUR; // opened 19 h ago: past 75 % of its 24 h SLA, and never informed
    const ticket = await openFor(env.core);
    offset = 0;
    // Every second instead of every minute, so several slots pass during the test.
    const jobs = [slaWatchJob, remindersJob].map((j) => ({ ...j, cron: () => '* * * * * *' }));
    const slack = fakeDeliverer('console', clock); // one chat platform both instances talk to
    const a = startScheduler(env.core, jobs);
    const b = startScheduler(second.core, jobs);
    const wa = startOutboxWorker(env.core, [slack.deliverer], { intervalMs: 100 });
    const wb = startOutboxWorker(second.core, [slack.deliverer], { intervalMs: 100 });
    try {
      await until(async () => {
        const runs = await env.core.db.select().from(jobRuns).where(eq(jobRuns.job, 'sla-watch'));
        const pending = await env.core.db.select().from(outbox).where(eq(outbox.status, 'pending'));
        return runs.filter((r) => r.finishedAt).length >= 3 && pending.length === 0;
      });
    } finally {
      await Promise.all([a.stop(), b.stop()]);
      await Promise.all([wa.stop(), wb.stop()]);
    }
    const runs = await env.core.db.select().from(jobRuns);
    for (const job of ['sla-watch', 'reminders']) {
      const slots = runs.filter((r) => r.job === job).map((r) => r.slot.toISOString());
      expect(new Set(slots).size).toBe(slots.length);
      expect(slots.length).toBeGreaterThanOrEqual(3);
    }
    const warnings = await env.core.db
      .select()
      .from(ticketEvents)
      .where(and(eq(ticketEvents.ticketId, ticket.id), eq(ticketEvents.type, 'sla_warning')));
    expect(warnings).toHaveLength(1);
    const sent = slack.delivered().filter((c) => c.text.startsWith(ticket.number));
    const texts = sent.map((c) => c.text);
    expect(new Set(texts).size).toBe(texts.length); // nothing twice
    expect(texts.filter((t) => t.includes('75%'))).toHaveLength(1);
    expect(texts.filter((t) => t.includes('🔔'))).toHaveLength(1);
    const rows = await env.core.db.select().from(outbox).where(eq(outbox.platform, 'console'));
    expect(slack.delivered().length).toBe(rows.length);
  }, 40_000);
});
