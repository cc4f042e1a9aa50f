/**
 * Statements built once (src/db/reusable.ts) must behave exactly like the queries they replace:
 * each run on the handle it is given — inside that transaction, undone with it — on both drivers.
 */
import { asc, like, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reusable, reusableByCount } from '../../src/db/reusable.js';
import { inboundDedupe } from '../../src/db/schema.js';
import { startTestCore, type TestCore } from '../helpers/core.js';

let t: TestCore;
beforeAll(async () => {
  t = await startTestCore();
}, 60_000);
afterAll(() => t.close());

const at = new Date('2026-11-28T02:00:00Z');
const claim = reusable((db) =>
  db
    .insert(inboundDedupe)
    .values({ key: sql.placeholder('key'), seenAt: sql.placeholder('at') })
    .onConflictDoNothing()
    .returning({ key: inboundDedupe.key }),
);
const keysLike = async (prefix: string) =>
  (
    await t.core.db
      .select({ key: inboundDedupe.key })
      .from(inboundDedupe)
      .where(like(inboundDedupe.key, `${prefix}%`))
      .orderBy(asc(inboundDedupe.key))
  ).map((r) => r.key);

describe('a statement built once', () => {
  it('runs inside each transaction it is given: a rolled-back run leaves nothing, a committed one stays', async () => {
    // The first transaction builds it; every later one must not reach back to that one's connection.
    await t.core.db.transaction(async (tx) => {
      expect(await claim(tx, { key: 'tx:a', at })).toEqual([{ key: 'tx:a' }]);
    });
    await expect(
      t.core.db.transaction(async (tx) => {
        await claim(tx, { key: 'tx:b', at });
        throw new Error('undo');
      }),
    ).rejects.toThrow('undo');
    await t.core.db.transaction(async (tx) => {
      await claim(tx, { key: 'tx:c', at });
      // Seen inside its own transaction before the commit.
      const [row] = await tx.select().from(inboundDedupe).where(sql`${inboundDedupe.key} = 'tx:c'`);
      expect(row?.seenAt.toISOString()).toBe(at.toISOString());
    });
    await claim(t.core.db, { key: 'tx:d', at });
    expect(await keysLike('tx:')).toEqual(['tx:a', 'tx:c', 'tx:d']);
    // The statement still answers as built: a repeat is no row.
    expect(await claim(t.core.db, { key: 'tx:a', at })).toEqual([]);
  });

  it('refuses a run that lacks a value before anything reaches the database', async () => {
    await expect(claim(t.core.db, { key: 'missing:at' })).rejects.toThrow(/placeholder "at"/);
    expect(await keysLike('missing:')).toEqual([]);
  });

  it('is built once per number of rows, each shape with all its rows', async () => {
    const claimMany = reusableByCount((db, count) =>
      db
        .insert(inboundDedupe)
        .values(Array.from({ length: count }, (_, i) => ({ key: sql.placeholder(`k${i}`), seenAt: at })))
        .returning({ key: inboundDedupe.key }),
    );
    await t.core.db.transaction(async (tx) => {
      expect(await claimMany(tx, 1, { k0: 'n:1' })).toHaveLength(1);
      expect(await claimMany(tx, 3, { k0: 'n:2', k1: 'n:3', k2: 'n:4' })).toHaveLength(3);
      expect(await claimMany(tx, 1, { k0: 'n:5' })).toHaveLength(1);
    });
    expect(await keysLike('n:')).toEqual(['n:1', 'n:2', 'n:3', 'n:4', 'n:5']);
  });
});
