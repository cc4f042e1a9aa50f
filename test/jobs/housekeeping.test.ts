import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboundDedupe, outbox, ticketEvents } from '../../src/db/schema.js';
import { housekeeping } from '../../src/jobs/housekeeping.js';
import { customerId, openLine, startTestCore, type TestCore } from '../helpers/core.js';

let t: TestCore;
beforeAll(async () => {
  t = await startTestCore();
});
afterAll(() => t?.close());

const DAY = 86_400_000;

describe('housekeeping', () => {
  it('trims old delivery ids and sent messages, keeps recent ones, MONITA ids longer, and never events', async () => {
    const now = t.clock.now();
    const old = new Date(now.getTime() - 10 * DAY);
    await t.core.db.insert(inboundDedupe).values([
      { key: 'slack:old-trigger', seenAt: old },
      { key: 'slack:new-trigger', seenAt: now },
      { key: 'monita:IN1-1', seenAt: old },
    ]);
    await t.run('ani', openLine(customerId()));
    await t.core.db.update(outbox).set({ status: 'sent', sentAt: new Date(now.getTime() - 20 * DAY) });
    const [events] = await t.core.db.select({ n: sql<number>`count(*)::int` }).from(ticketEvents);

    const result = await housekeeping(t.core, now);
    expect(result.detail).toMatch(/^1 delivery ids, 1 sent messages/);
    const keys = (await t.core.db.select().from(inboundDedupe)).map((r) => r.key).sort();
    expect(keys).toEqual(['monita:IN1-1', 'slack:new-trigger']);
    expect(await t.core.db.select().from(outbox).where(eq(outbox.status, 'sent'))).toEqual([]);
    const [after] = await t.core.db.select({ n: sql<number>`count(*)::int` }).from(ticketEvents);
    expect(after?.n).toBe(events?.n);

    // 100 days on, the MONITA id goes too.
    await housekeeping(t.core, new Date(now.getTime() + 100 * DAY));
    expect(await t.core.db.select().from(inboundDedupe)).toEqual([]);
  });
});
