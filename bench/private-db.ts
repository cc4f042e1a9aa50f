import postgres from 'postgres';

/** PostgreSQL benchmarks read this; each run creates and drops a database of its own on it. */
export const BENCH_DATABASE_URL = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

/** A fresh database on BENCH_DATABASE_URL's server (or in-memory PGlite), dropped by `drop`. */
export async function privateDatabase(kind: 'postgres' | 'pglite'): Promise<{ url: string; drop(): Promise<void> }> {
  if (kind === 'pglite') return { url: 'memory://', drop: async () => {} };
  const admin = postgres(BENCH_DATABASE_URL, { max: 1, onnotice: () => {} });
  const name = `posko_bench_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(BENCH_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** BENCH_SCALE (default 1, the full size; 0.1 while developing). */
export const BENCH_SCALE = Number(process.env.BENCH_SCALE || '1');
