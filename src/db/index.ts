import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { MIGRATIONS_FOLDER } from '../paths.js';
import { onDriverDefect } from './driver-defect.js';
import * as schema from './schema.js';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/** A transaction handle: the same query API as Db. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Apply the committed migrations in drizzle/ (idempotent, safe with several instances). */
  migrate(): Promise<void>;
  close(): Promise<void>;
}

const migrationsFolder = MIGRATIONS_FOLDER;
// Any fixed number shared by every posko instance: serialises concurrent migrations.
const MIGRATION_LOCK = 7_014_2026;

export interface DatabaseOptions {
  url?: string;
  dataDir: string;
  /** postgres-js pool size. */
  max?: number;
}

export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  const url = opts.url;
  if (url && /^postgres(ql)?:\/\//.test(url)) return openPostgres(url, opts.max ?? 10);
  const dir = url === 'memory://' ? undefined : url?.startsWith('file://') ? fileURLToPath(url) : opts.dataDir;
  if (dir) mkdirSync(dir, { recursive: true });
  // Loaded only for the embedded database: PGlite adds ~40 MB to a process on PostgreSQL.
  const [{ PGlite }, { drizzle: drizzlePglite }, { migrate: migratePglite }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('drizzle-orm/pglite'),
    import('drizzle-orm/pglite/migrator'),
  ]);
  const client = new PGlite(dir);
  await client.waitReady;
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    migrate: async () => {
      await migratePglite(db as never, { migrationsFolder });
    },
    close: async () => {
      if (!client.closed) await client.close();
    },
  };
}

function openPostgres(url: string, max: number): Database {
  const connect = () => {
    const client = postgres(url, {
      max,
      onnotice: () => {},
      // Fail fast when the server is gone so callers get `unavailable` instead of a hang.
      connect_timeout: 5,
      idle_timeout: 60,
    });
    return { client, db: drizzlePostgres(client, { schema }) as unknown as Db };
  };
  let current = connect();
  // Callers hold this one handle; it follows `current`, so a renewed pool needs no new handle.
  const db = new Proxy({} as Db, { get: (_target, prop) => Reflect.get(current.db, prop, current.db) });
  const renew = () => {
    const old = current;
    current = connect();
    void old.client.end({ timeout: 0 }).catch(() => {});
  };
  const unregister = onDriverDefect(renew);
  return {
    db,
    kind: 'postgres',
    migrate: async () => {
      // One connection of its own, so the advisory lock and the migration share a session.
      const single = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 5 });
      try {
        await single`SELECT pg_advisory_lock(${MIGRATION_LOCK})`;
        await migratePostgres(drizzlePostgres(single, { schema }), { migrationsFolder });
      } finally {
        await single`SELECT pg_advisory_unlock(${MIGRATION_LOCK})`.catch(() => {});
        await single.end({ timeout: 5 });
      }
    },
    close: async () => {
      unregister();
      await current.client.end({ timeout: 5 });
    },
  };
}

/** True when an error means the database could not be reached or dropped the connection. */
export function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: string; errno?: string; message?: string; cause?: unknown } | undefined;
  if (!e || typeof e !== 'object') return false;
  const code = String(e.code ?? e.errno ?? '');
  if (/^(08|57P|53)/.test(code)) return true; // connection exceptions, admin shutdown, resources
  // Login refused: the role may not log in, or the database takes no connections now (55000
  // "not currently accepting connections"; 57P03 "cannot connect now" is in the class above).
  if (/^28/.test(code)) return true;
  if (code === '55000' && /accepting connections|cannot connect/i.test(String(e.message ?? ''))) return true;
  if (
    [
      'ECONNREFUSED',
      'ECONNRESET',
      'ETIMEDOUT',
      'EPIPE',
      'CONNECT_TIMEOUT',
      'CONNECTION_CLOSED',
      'CONNECTION_ENDED',
      'CONNECTION_DESTROYED',
    ].includes(code)
  )
    return true;
  if (/PGlite is closed|closed database|Connection terminated/i.test(String(e.message ?? ''))) return true;
  return e.cause ? isDatabaseUnavailable(e.cause) : false;
}

export async function ping(db: Db): Promise<void> {
  await db.execute(sql`select 1`);
}
