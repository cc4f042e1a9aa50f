import { spawn } from 'node:child_process';
import { and, eq, like } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Core } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { Database } from '../../src/db/index.js';
import { jobRuns } from '../../src/db/schema.js';
import { PgRunCoordinator, parseKey } from '../../src/jobs/coordinator.js';
import { startScheduler } from '../../src/jobs/scheduler.js';
import type { Job } from '../../src/jobs/types.js';
import { openTestDatabase, pgUrl } from './db.js';

let database: Database;
let second: Database | undefined; // a second connection pool: a second posko instance
let drop: () => Promise<void> = async () => {};
let url = '';
const tag = Math.random().toString(36).slice(2, 8); // job names unique to this run (shared test DB)

beforeAll(async () => {
  const opened = await openTestDatabase();
  database = opened.database;
  second = await opened.second();
  drop = opened.drop;
  url = opened.url;
});
afterAll(async () => {
  await second?.close();
  await database?.close();
  await drop();
});
afterEach(() => {
  vi.useRealTimers();
});

function fakeCore(db = database.db): Core {
  const config = loadConfig({ POSKO_TIMEZONE: 'Asia/Jakarta' } as NodeJS.ProcessEnv, '');
  return { db, config, clock: () => new Date(), log: pino({ level: 'silent' }) } as unknown as Core;
}

describe('run coordinator', () => {
  it('parses node-cron keys "<name>:<slot ISO>"', () => {
    expect(parseKey('sla-watch:2026-11-28T07:00:00.000Z')).toEqual({
      job: 'sla-watch',
      slot: new Date('2026-11-28T07:00:00Z'),
    });
    expect(() => parseKey('nonsense')).toThrow();
  });

  it('two instances asking for the same slots: each slot is won exactly once', async () => {
    const a = new PgRunCoordinator(database.db, 'a', () => new Date());
    const b = new PgRunCoordinator((second ?? database).db, 'b', () => new Date());
    const job = `claim-${tag}`;
    const slots = Array.from({ length: 20 }, (_, i) => new Date(Date.UTC(2026, 10, 28, 7, i)).toISOString());
    const answers = await Promise.all(
      slots.flatMap((s) => [a.shouldRun(`${job}:${s}`), b.shouldRun(`${job}:${s}`), a.shouldRun(`${job}:${s}`)]),
    );
    for (let i = 0; i < slots.length; i++) expect(answers.slice(i * 3, i * 3 + 3).filter(Boolean)).toHaveLength(1);
    const rows = await database.db.select().from(jobRuns).where(eq(jobRuns.job, job));
    expect(rows).toHaveLength(20);
  });
});

// Fake timers stop postgres-js's own timeouts and its socket replies arrive outside the faked
// clock, so the wiring is shown on PGlite (in-process); PostgreSQL gets real processes elsewhere.
describe.skipIf(pgUrl)('schedule wiring (fake timers)', () => {
  it('two schedulers on one database: an every-minute job runs once per minute, recorded in job_runs', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-28T00:00:30Z'), toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const name = `tick-${tag}`;
    const runs: string[] = [];
    const job = (who: string): Job => ({
      name,
      cron: () => '* * * * *',
      run: async (_core, now) => {
        runs.push(`${who}@${now.toISOString()}`);
        return { detail: 'ok' };
      },
    });
    const s1 = startScheduler(fakeCore(), [job('a')], { instance: 'a' });
    const s2 = startScheduler(fakeCore((second ?? database).db), [job('b')], { instance: 'b' });
    for (let i = 0; i < 3; i++) await vi.advanceTimersByTimeAsync(60_000);
    await s1.stop();
    await s2.stop();
    vi.useRealTimers();
    expect(runs).toHaveLength(3);
    const rows = await database.db.select().from(jobRuns).where(eq(jobRuns.job, name)).orderBy(jobRuns.slot);
    expect(rows.map((r) => r.slot.toISOString())).toEqual([
      '2026-11-28T00:01:00.000Z',
      '2026-11-28T00:02:00.000Z',
      '2026-11-28T00:03:00.000Z',
    ]);
    expect(rows.every((r) => r.ok === true && r.finishedAt !== null)).toBe(true);
  });

  it('cron expressions are read in POSKO_TIMEZONE: "0 7 * * *" fires at 07:00 WIB = 00:00 UTC', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-28T23:59:50Z'), toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const name = `digest-${tag}`;
    const seen: Date[] = [];
    const s = startScheduler(fakeCore(), [
      {
        name,
        cron: () => '0 7 * * *',
        run: async (_c, now) => {
          seen.push(now);
          return { detail: 'ok' };
        },
      },
    ]);
    await vi.advanceTimersByTimeAsync(20_000);
    await s.stop();
    vi.useRealTimers();
    expect(seen.map((d) => d.toISOString())).toEqual(['2026-11-29T00:00:00.000Z']);
    const [row] = await database.db
      .select()
      .from(jobRuns)
      .where(and(eq(jobRuns.job, name), like(jobRuns.instance, '%')));
    expect(row?.slot.toISOString()).toBe('2026-11-29T00:00:00.000Z');
  });
});

describe.skipIf(!pgUrl)('two posko processes on one PostgreSQL', () => {
  it('an every-second job: each slot runs in exactly one process', async () => {
    const name = `proc-${tag}`;
    const child = () =>
      new Promise<string[]>((resolve, reject) => {
        const p = spawn(process.execPath, ['--import', 'tsx', 'test/jobs/fixtures/scheduler-child.ts', name, '3'], {
          env: { ...process.env, TEST_DATABASE_URL: url },
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        let out = '';
        p.stdout.on('data', (d) => {
          out += d;
        });
        p.on('error', reject);
        p.on('exit', (code) =>
          code === 0 ? resolve(out.split('\n').filter(Boolean)) : reject(new Error(`exit ${code}`)),
        );
      });
    const [a, b] = await Promise.all([child(), child()]);
    const all = [...(a ?? []), ...(b ?? [])];
    expect(all.length).toBeGreaterThanOrEqual(2);
    expect(new Set(all).size).toBe(all.length);
    const rows = await database.db.select().from(jobRuns).where(eq(jobRuns.job, name));
    expect(rows).toHaveLength(all.length);
    expect(rows.every((r) => r.ok)).toBe(true);
  }, 30_000);
});
