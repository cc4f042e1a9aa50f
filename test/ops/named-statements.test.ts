import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/db/index.js';
import { roster } from '../../src/db/schema.js';
import { freshDatabase, TEST_DATABASE_URL, type TestDb } from '../helpers/core.js';

/**
 * src/db/named-statements.ts: drizzle's queries reach PostgreSQL as named statements that the
 * connection keeps (one round trip each after the first, issue 14 B1), in and out of transactions,
 * and transactions and savepoints still commit and roll back as before.
 */
describe.runIf(TEST_DATABASE_URL)('issue 14 B1: named statements on PostgreSQL', () => {
  let target: TestDb;
  let database: Database;
  beforeAll(async () => {
    target = await freshDatabase('posko_named');
    database = await openDatabase({ url: target.url, dataDir: '', max: 2 });
    await database.migrate();
  });
  afterAll(async () => {
    await database?.close();
    await target?.drop();
  });

  const row = (userKey: string) => ({
    userKey,
    role: 'agent',
    team: 'a',
    queue: 'reguler',
    updatedAt: new Date(),
    updatedBy: 'console:test',
  });

  it('a query with parameters is kept by the connection under a name, inside a transaction too', async () => {
    const kept = await database.db.transaction(async (tx) => {
      for (const who of ['console:x', 'console:y'])
        await tx.select().from(roster).where(eq(roster.userKey, who)).limit(1);
      return tx.execute(
        sql`select count(*)::int as n from pg_prepared_statements where statement like '%from "roster" where "roster"."user_key" = $1%'`,
      );
    });
    const rows = (Array.isArray(kept) ? kept : (kept as { rows: unknown[] }).rows) as { n: number }[];
    expect(rows[0]?.n).toBe(1);
  });

  it('a transaction that throws leaves nothing; a savepoint that throws undoes only its part', async () => {
    await expect(
      database.db.transaction(async (tx) => {
        await tx.insert(roster).values(row('console:gone'));
        throw new Error('undo');
      }),
    ).rejects.toThrow('undo');
    await database.db.transaction(async (tx) => {
      await tx.insert(roster).values(row('console:kept'));
      await tx
        .transaction(async (inner) => {
          await inner.insert(roster).values(row('console:inner'));
          throw new Error('undo inner');
        })
        .catch(() => {});
    });
    const keys = (await database.db.select({ k: roster.userKey }).from(roster)).map((r) => r.k).sort();
    expect(keys).toEqual(['console:kept']);
  });
});
