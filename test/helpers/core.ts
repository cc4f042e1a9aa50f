import pino from 'pino';
import postgres from 'postgres';
import { type Core, createCore } from '../../src/app.js';
import { type Invocation, type Outcome, runCommandLine } from '../../src/command/dispatch.js';
import { loadConfig } from '../../src/config.js';
import { seedDemoRoster } from '../../src/services/roster.js';
import { TEST_DATA_KEY } from './data-key.js';

/** Set by .ci/run (and by you) to run the integration suites on a real PostgreSQL too. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || undefined;

export interface TestDb {
  url: string;
  drop(): Promise<void>;
}

/** A fresh PostgreSQL database of this test file's own (dropped after), or an in-memory PGlite. */
export async function freshDatabase(prefix = 'posko_t'): Promise<TestDb> {
  if (!TEST_DATABASE_URL) return { url: 'memory://', drop: async () => {} };
  const admin = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => {} });
  const name = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** A settable clock, so SLA and time-dependent rules are tested without waiting. */
export function testClock(start = new Date('2026-11-28T02:00:00Z')) {
  let now = start.getTime();
  return {
    now: () => new Date(now),
    advance: (ms: number) => {
      now += ms;
    },
    set: (d: Date) => {
      now = d.getTime();
    },
  };
}

export interface TestCore {
  core: Core;
  url: string;
  clock: ReturnType<typeof testClock>;
  /** Run a command line as a console user (ani, budi, citra are seeded). */
  run(user: string, line: string, deliveryId?: string): Promise<Outcome>;
  close(): Promise<void>;
}

/** The real core on a real database: one per test file (PGlite takes seconds to start). */
export async function startTestCore(env: Record<string, string> = {}): Promise<TestCore> {
  const db = await freshDatabase();
  const clock = testClock();
  const config = loadConfig(
    { DATABASE_URL: db.url, LOG_LEVEL: 'silent', POSKO_DATA_KEY: TEST_DATA_KEY, ...env } as NodeJS.ProcessEnv,
    '',
  );
  const { core, close } = await createCore({ config, clock: clock.now, log: pino({ level: 'silent' }) });
  await seedDemoRoster(core);
  return {
    core,
    url: db.url,
    clock,
    run: (user, line, deliveryId) => {
      const inv: Invocation = { platform: 'console', userId: user, channel: 'team-a', deliveryId };
      return runCommandLine(core, inv, line);
    },
    close: async () => {
      await close();
      await db.drop();
    },
  };
}

let seq = 0;
/** A valid IndiHome customer ID unique to this process and call. */
export const customerId = () => `12${String(process.pid % 100000).padStart(5, '0')}${String(++seq).padStart(5, '0')}`;

export const openLine = (id: string, extra = '') =>
  `buka layanan=indihome id=${id} nama="Siti Rahma" kontak=081234567890 keluhan="internet mati sejak pagi" ${extra}`.trim();
