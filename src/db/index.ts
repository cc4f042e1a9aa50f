import { chmodSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { type KeySettings, resolveKeyRing } from '../crypto/key-source.js';
import type { KeyRing } from '../crypto/keys.js';
import { resealRows } from '../crypto/reseal.js';
import { installKeyRing } from '../crypto/ring.js';
import { MIGRATIONS_FOLDER } from '../paths.js';
import { onDriverDefect } from './driver-defect.js';
import { namedStatements } from './named-statements.js';
import { DEFAULT_TEMPLATE_DIR, seedFromTemplate } from './pglite-template.js';
import * as schema from './schema.js';

import type { Db } from './types.js';

export type { Db, Schema, Tx } from './types.js';

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** The customer-data keys in use (null: none given, on PostgreSQL; sealing then refuses). */
  keyRing: KeyRing | null;
  /**
   * Apply the committed migrations in drizzle/ (idempotent, safe with several instances), then
   * seal the rows written before encryption (SQL cannot: it has no key).
   */
  migrate(): Promise<void>;
  close(): Promise<void>;
}

const migrationsFolder = MIGRATIONS_FOLDER;
/** Shared buffers of the embedded database (issue 14, B5: peak RSS under 300 MB). */
const PGLITE_SHARED_BUFFERS = '32MB';
// Any fixed number shared by every posko instance: serialises concurrent migrations.
const MIGRATION_LOCK = 7_014_2026;

export interface DatabaseOptions {
  url?: string;
  dataDir: string;
  /** postgres-js pool size. */
  max?: number;
  /** POSKO_DATA_KEY and POSKO_DATA_KEY_PREVIOUS; without a key, embedded databases make their own. */
  dataKeys?: KeySettings;
  /**
   * A fresh embedded data directory starts as a copy of this migrated template (pglite-template.ts)
   * when it fits today's migrations; null: always PGlite's own initdb.
   */
  template?: string | null;
}

export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  const url = opts.url;
  const keys = opts.dataKeys ?? {};
  if (url && /^postgres(ql)?:\/\//.test(url))
    return openPostgres(url, opts.max ?? 10, keys.current ? useKeys(keys, { kind: 'postgres' }) : null);
  const dir = url === 'memory://' ? undefined : url?.startsWith('file://') ? fileURLToPath(url) : opts.dataDir;
  if (dir) {
    // PGlite's files must be the owner's alone whatever the umask: files PostgreSQL creates
    // from now on follow this umask, those PGlite unpacked from its image are tightened below.
    process.umask(0o077);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
    if (seedFromTemplate(dir, opts.template === undefined ? DEFAULT_TEMPLATE_DIR : opts.template)) ownerOnly(dir);
  }
  // Loaded only for the embedded database: PGlite adds ~40 MB to a process on PostgreSQL.
  const [{ PGlite }, { drizzle: drizzlePglite }, { migrate: migratePglite }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('drizzle-orm/pglite'),
    import('drizzle-orm/pglite/migrator'),
  ]);
  // PostgreSQL's default 128 MB of shared buffers is most of an embedded posko's memory (the
  // wasm instance touches them as it runs); the kernel's page cache sits beneath PGlite's files anyway.
  const client = new PGlite(dir, {
    startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${PGLITE_SHARED_BUFFERS}`],
  });
  await client.waitReady;
  if (dir) ownerOnly(dir);
  const keyRing = useKeys(keys, dir ? { kind: 'directory', dir } : { kind: 'memory' });
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    keyRing,
    migrate: async () => {
      await migratePglite(db as never, { migrationsFolder });
      await resealRows(db, keyRing, 'unsealed');
    },
    close: async () => {
      if (!client.closed) await client.close();
    },
  };
}

function useKeys(keys: KeySettings, home: Parameters<typeof resolveKeyRing>[1]): KeyRing {
  const ring = resolveKeyRing(keys, home);
  installKeyRing(ring);
  return ring;
}

/** Strips group and other permissions from every file and directory under `dir`. */
function ownerOnly(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    const mode = statSync(file).mode & 0o777;
    if (mode & 0o077) chmodSync(file, mode & 0o700);
    if (entry.isDirectory()) ownerOnly(file);
  }
}

function openPostgres(url: string, max: number, keyRing: KeyRing | null): Database {
  const connect = () => {
    const client = postgres(url, {
      max,
      onnotice: () => {},
      // Fail fast when the server is gone so callers get `unavailable` instead of a hang.
      connect_timeout: 5,
      idle_timeout: 60,
    });
    return { client, db: drizzlePostgres(namedStatements(client), { schema }) as unknown as Db };
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
    keyRing,
    migrate: async () => {
      // One connection of its own, so the advisory lock and the migration share a session.
      const single = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 5 });
      try {
        await single`SELECT pg_advisory_lock(${MIGRATION_LOCK})`;
        await migratePostgres(drizzlePostgres(single, { schema }), { migrationsFolder });
        // Still under the lock: a second instance starting now finds the rows sealed.
        if (keyRing) await resealRows(db, keyRing, 'unsealed');
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
