import postgres from 'postgres';

/** The PostgreSQL server benchmarks run on; each benchmark makes its own database there. */
export { TEST_DATA_KEY as BENCH_DATA_KEY } from '../../test/helpers/data-key.js';
export const BENCH_DATABASE_URL = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

export interface PrivateDatabase {
  url: string;
  /** A client on the private database, for checks from the benchmark's side. */
  sql: postgres.Sql;
  drop(): Promise<void>;
}

/** A database of this benchmark run's own, dropped (with its connections) afterwards. */
export async function privateDatabase(prefix: string): Promise<PrivateDatabase> {
  const admin = postgres(BENCH_DATABASE_URL, { max: 1, onnotice: () => {} });
  const name = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const u = new URL(BENCH_DATABASE_URL);
  u.pathname = `/${name}`;
  const sql = postgres(u.toString(), { max: 1, onnotice: () => {} });
  return {
    url: u.toString(),
    sql,
    drop: async () => {
      await sql.end();
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** The server's version, e.g. "15.20", for the machine line of the report. */
export async function postgresVersion(): Promise<string> {
  const admin = postgres(BENCH_DATABASE_URL, { max: 1, onnotice: () => {} });
  try {
    const [row] = await admin`SHOW server_version`;
    return String(row?.server_version ?? 'unknown');
  } finally {
    await admin.end();
  }
}

/** A private PostgreSQL database as above, or an in-memory PGlite when a benchmark runs on both. */
export async function benchDatabase(kind: 'postgres' | 'pglite'): Promise<{ url: string; drop(): Promise<void> }> {
  if (kind === 'pglite') return { url: 'memory://', drop: async () => {} };
  return privateDatabase('posko_bench');
}

/** BENCH_SCALE (default 1, the full size; 0.1 while developing). */
export const BENCH_SCALE = Number(process.env.BENCH_SCALE || '1');
