import { and, eq, ne, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommandLine } from '../../src/command/dispatch.js';
import { sourceMessages, tickets } from '../../src/db/schema.js';
import { sameCustomer } from '../../src/services/ticket-store.js';
import { customerId, openLine, startTestCore, TEST_DATABASE_URL, type TestCore } from '../helpers/core.js';

let t: TestCore;
beforeAll(async () => {
  t = await startTestCore();
});
afterAll(() => t?.close());

// On PGlite everything runs on one connection, one after another; only PostgreSQL proves the race.
describe.skipIf(!TEST_DATABASE_URL)('P5.3 race-free on PostgreSQL', () => {
  it('20 concurrent opens for one customer and service leave one open ticket', async () => {
    const id = customerId();
    const outs = await Promise.all(Array.from({ length: 20 }, (_, i) => t.run(i % 2 ? 'ani' : 'budi', openLine(id))));
    expect(outs.map((o) => o.error)).toEqual(Array(20).fill(null));
    expect(new Set(outs.map((o) => o.replies[0]?.ticket)).size).toBe(1);
    const open = await t.core.db
      .select({ n: sql<number>`count(*)::int`, repeats: sql<number>`max(repeat_count)::int` })
      .from(tickets)
      .where(and(sameCustomer('indihome', id), ne(tickets.status, 'closed')));
    expect(open[0]).toEqual({ n: 1, repeats: 19 });
  });

  it('200 concurrent opens for different customers get 200 distinct ticket numbers', async () => {
    const outs = await Promise.all(Array.from({ length: 200 }, () => t.run('ani', openLine(customerId()))));
    expect(outs.filter((o) => o.error !== null)).toEqual([]);
    const numbers = outs.map((o) => o.replies[0]?.ticket);
    expect(new Set(numbers).size).toBe(200);
    for (const n of numbers) expect(n).toMatch(/^GGN-\d{6,}$/);
  });
});

describe('concurrent decisions on one ticket', () => {
  it('two approvals at once: one wins, the other is a conflict', async () => {
    const out = await t.run('ani', openLine(customerId()));
    const number = out.replies[0]?.ticket ?? '';
    await t.run('ani', `eskalasi ${number} percepatan`);
    const [a, b] = await Promise.all([t.run('budi', `setujui ${number}`), t.run('citra', `setujui ${number}`)]);
    expect([a.error, b.error].sort()).toEqual(['conflict', null].sort());
  });
});

describe.skipIf(!TEST_DATABASE_URL)('a message makes at most one ticket, on PostgreSQL', () => {
  it('20 concurrent submits of one Slack message (different customers even) make one ticket', async () => {
    const source = { platform: 'slack' as const, channel: 'CRACE', message: `1700000999.${customerId()}`, link: null };
    const outs = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        runCommandLine(
          t.core,
          { platform: 'console', userId: i % 2 ? 'ani' : 'budi', channel: 'tim-a', source },
          openLine(customerId()),
        ),
      ),
    );
    expect(outs.map((o) => o.error)).toEqual(Array(20).fill(null));
    expect(new Set(outs.map((o) => o.replies[0]?.ticket)).size).toBe(1);
    const rows = await t.core.db.select().from(sourceMessages).where(eq(sourceMessages.message, source.message));
    expect(rows).toHaveLength(1);
    const made = await t.core.db
      .select()
      .from(tickets)
      .where(eq(tickets.id, rows[0]?.ticketId ?? 0));
    expect(made).toHaveLength(1);
  });
});
