import pino from 'pino';
import { type Core, createCore } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { type Database, openDatabase } from '../../src/db/index.js';
import { outbox } from '../../src/db/schema.js';
import type { Actor } from '../../src/domain/roles.js';
import type { OutboxMessage } from '../../src/outbox/types.js';
import { openTicket } from '../../src/services/open.js';
import { seedDemoRoster } from '../../src/services/roster.js';
import { freshDatabase } from '../helpers/core.js';
import { TEST_DATA_KEY } from '../helpers/data-key.js';

export const pgUrl = process.env.TEST_DATABASE_URL || undefined;

/**
 * A migrated database of the test's own: with TEST_DATABASE_URL a fresh PostgreSQL database
 * (dropped by `drop`), never the shared one, whose schema another checkout may have migrated
 * differently; else an in-memory PGlite. `second` is another pool on it: a second posko instance.
 */
export async function openTestDatabase(): Promise<{
  database: Database;
  url: string;
  second(): Promise<Database | undefined>;
  drop(): Promise<void>;
}> {
  const fresh = await freshDatabase('posko_sched');
  const open = () => openDatabase({ url: fresh.url, dataDir: '', dataKeys: { current: TEST_DATA_KEY } });
  const database = await open();
  await database.migrate();
  return { database, url: fresh.url, second: async () => (pgUrl ? open() : undefined), drop: fresh.drop };
}

export interface TestCore {
  core: Core;
  /** The database URL, for a second posko instance on the same database. */
  url: string;
  close(): Promise<void>;
}

/**
 * A real posko core on an in-memory PGlite, or — with TEST_DATABASE_URL — on a fresh PostgreSQL
 * database of its own (dropped at close), so other test files' rows never meet ours.
 */
export async function startJobsCore(clock: () => Date, env: Record<string, string> = {}): Promise<TestCore> {
  const { url, drop } = await freshDatabase('posko_jobs');
  const { core, close } = await coreOn(url, clock, env);
  await seedDemoRoster(core);
  return {
    core,
    url,
    close: async () => {
      await close();
      await drop();
    },
  };
}

/** A posko core on an existing database (a second instance in multi-instance tests). */
export async function coreOn(url: string, clock: () => Date, env: Record<string, string> = {}, skipMigrations = false) {
  const config = loadConfig(
    {
      DATABASE_URL: url,
      POSKO_TIMEZONE: 'Asia/Jakarta',
      LOG_LEVEL: 'silent',
      POSKO_DATA_KEY: TEST_DATA_KEY,
      ...env,
    } as NodeJS.ProcessEnv,
    '',
  );
  return createCore({ config, clock, log: pino({ level: 'silent' }), skipMigrations });
}

export const ani = { userKey: 'console:ani', role: 'agent', team: 'a', queue: 'reguler' } as const;
export const budi = { userKey: 'console:budi', role: 'team_leader', team: 'a', queue: 'reguler' } as const;
export const citra = { userKey: 'console:citra', role: 'supervisor', team: 'a', queue: 'reguler' } as const;

let customer = 0;
/** Opens a ticket through the real service; IndiHome Reguler has a 24 h SLA, internet 8 h. */
export async function openFor(core: Core, actor: Actor = ani, service: 'indihome' | 'internet' = 'indihome') {
  customer++;
  const { ticket } = await openTicket(
    core,
    actor,
    { platform: 'console', channel: 'team-a' },
    {
      layanan: service,
      id: `1221${String(process.pid % 10000).padStart(4, '0')}${String(customer).padStart(4, '0')}`,
      nama: 'Sari Wulandari',
      kontak: '081234567890',
      keluhan: 'internet mati sejak pagi',
    },
  );
  return ticket;
}

export const openIndihome = (core: Core, actor: Actor = ani) => openFor(core, actor, 'indihome');

/** Outbox rows queued for a ticket's thread, oldest first, as (text, mentions). */
export async function threadMessages(core: Core, ticketId: number) {
  const rows = await core.db.select().from(outbox).orderBy(outbox.id);
  return rows
    .map((r) => r.payload as unknown as OutboxMessage)
    .filter((m) => m.kind === 'post' && m.threadOfTicket === ticketId)
    .map((m) => ({ text: m.reply.text, mentions: m.reply.mentions ?? [] }));
}
