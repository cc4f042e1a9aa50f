import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src/app.js';
import { outbox } from '../../src/db/schema.js';
import { enqueue } from '../../src/outbox/enqueue.js';
import type { OutboxMessage } from '../../src/outbox/types.js';
import { createOutboxWorker, deliverDue } from '../../src/outbox/worker.js';
import { openIndihome, startJobsCore, type TestCore } from '../jobs/db.js';
import { fakeDeliverer } from './fake-deliverer.js';

// Issue 14, B6: queued edits of one message coalesce (the latest wins), and edits have a lane of
// their own beside the channel's posts, so thread notes never starve a card edit. On PGlite, and
// on PostgreSQL with TEST_DATABASE_URL. No timing: the clock is the test's.

let now = new Date('2026-11-28T01:00:00Z');
const clock = () => now;
let env: TestCore;
let core: Core;
beforeAll(async () => {
  env = await startJobsCore(clock);
  core = env.core;
});
afterAll(async () => {
  await env.close();
});

const PLATFORM = 'console'; // openIndihome queues its card there, in channel team-a
const CHANNEL = 'team-a';
let seq = 0;

async function queue(message: OutboxMessage): Promise<void> {
  await core.db.transaction(async (tx) => {
    await enqueue(tx, { dedupeKey: `coalesce-test:${++seq}`, platform: PLATFORM, channel: CHANNEL, message, at: now });
  });
}
const reply = (text: string) => ({ audience: 'channel' as const, ticket: null, error: null, text });
const cardEdit = (ticketId: number, text: string) =>
  queue({ kind: 'edit', reply: reply(text), target: { ticketCard: ticketId } });
const note = (ticketId: number, text: string) => queue({ kind: 'post', reply: reply(text), threadOfTicket: ticketId });

async function pendingCount(): Promise<number> {
  const rows = await core.db
    .select({ id: outbox.id })
    .from(outbox)
    .where(and(eq(outbox.platform, PLATFORM), eq(outbox.status, 'pending')));
  return rows.length;
}

/** The paced worker on the test clock, a quarter second a step, until nothing is pending. */
async function drain(worker: ReturnType<typeof createOutboxWorker>) {
  for (let step = 0; step < 2000; step++) {
    await worker.pass();
    await worker.idle();
    if ((await pendingCount()) === 0) return;
    now = new Date(now.getTime() + 250);
  }
  throw new Error('outbox did not drain');
}

const paced = { paceMs: () => 1000 };

describe('coalescing queued edits (issue 14, B6)', () => {
  it('N queued edits of one card go out as one edit carrying the latest state; another card’s edits are not lost', async () => {
    const a = await openIndihome(core);
    const b = await openIndihome(core);
    // Queued before either card is posted: the edit lane waits for its card (never dead).
    for (let v = 1; v <= 5; v++) {
      await cardEdit(a.id, `A v${v}`);
      if (v % 2 === 1) await cardEdit(b.id, `B v${v}`);
    }
    const fake = fakeDeliverer(PLATFORM, clock);
    await drain(createOutboxWorker(core, fake.deliverer, paced));

    const edits = fake.delivered().filter((c) => c.op === 'edit');
    expect(edits.filter((c) => c.text.startsWith('A ')).map((c) => c.text)).toEqual(['A v5']);
    expect(edits.filter((c) => c.text.startsWith('B ')).map((c) => c.text)).toEqual(['B v5']);
    // Every row is settled as sent, none dead or left behind.
    const rows = await core.db.select().from(outbox).where(eq(outbox.platform, PLATFORM));
    expect(rows.filter((r) => r.status !== 'sent')).toEqual([]);
    // Each card was posted before its edit.
    const calls = fake.delivered();
    const firstEdit = calls.findIndex((c) => c.op === 'edit');
    expect(calls.slice(0, firstEdit).filter((c) => c.op === 'post').length).toBeGreaterThanOrEqual(1);
  });

  it('an edit queued after the send began goes out after it: the card ends in its latest state', async () => {
    const c = await openIndihome(core);
    const fake = fakeDeliverer(PLATFORM, clock);
    const worker = createOutboxWorker(core, fake.deliverer, paced);
    await drain(worker);
    await cardEdit(c.id, 'C v1');
    await cardEdit(c.id, 'C v2');
    await worker.pass(); // C v2 is on its way, carried by C v1's row
    await cardEdit(c.id, 'C v3');
    await worker.idle();
    await drain(worker);
    const edits = fake
      .delivered()
      .filter((x) => x.op === 'edit' && x.text.startsWith('C '))
      .map((x) => x.text);
    expect(edits).toEqual(['C v2', 'C v3']);
  });

  it('the unpaced pass (console) coalesces the same way, and skips the rows an earlier edit carried', async () => {
    const d = await openIndihome(core);
    for (let v = 1; v <= 4; v++) await cardEdit(d.id, `D v${v}`);
    const fake = fakeDeliverer(PLATFORM, clock);
    while ((await deliverDue(core, fake.deliverer)) > 0);
    expect(await pendingCount()).toBe(0);
    expect(
      fake
        .delivered()
        .filter((x) => x.op === 'edit')
        .map((x) => x.text),
    ).toEqual(['D v4']);
  });
});

describe('thread notes never starve card edits (issue 14, B6)', () => {
  it('a card edit queued behind ten thread notes goes out within one pace, not after the notes; notes stay in order, each once', async () => {
    const e = await openIndihome(core);
    const fake = fakeDeliverer(PLATFORM, clock);
    const worker = createOutboxWorker(core, fake.deliverer, paced);
    await drain(worker); // the card is posted
    const notes = Array.from({ length: 10 }, (_, i) => `E note ${String(i + 1).padStart(2, '0')}`);
    for (const n of notes) await note(e.id, n);
    await cardEdit(e.id, 'E v1');
    for (const n of ['E note 11', 'E note 12']) await note(e.id, n);
    await cardEdit(e.id, 'E v2');
    const start = now.getTime();
    await drain(worker);

    const calls = fake.delivered().filter((c) => c.text.startsWith('E '));
    const edit = calls.filter((c) => c.op === 'edit');
    expect(edit.map((c) => c.text)).toEqual(['E v2']); // one edit, the latest
    // On its own lane: sent before the second note, not after twelve paced notes.
    const posts = calls.filter((c) => c.op === 'post');
    expect(edit[0]!.at).toBeLessThan(posts[1]!.at);
    expect(edit[0]!.at - start).toBeLessThan(1000);
    expect(posts.map((c) => c.text)).toEqual([...notes, 'E note 11', 'E note 12']);
    // The notes kept their own pace: one a second.
    for (let i = 1; i < posts.length; i++) expect(posts[i]!.at - posts[i - 1]!.at).toBeGreaterThanOrEqual(1000);
  });

  it('an edit whose card was given up still dies at once (its post is no longer queued): the lane does not wait for it forever', async () => {
    const f = await openIndihome(core);
    const fake = fakeDeliverer(PLATFORM, clock);
    fake.refuse(CHANNEL, 'channel_not_found');
    await cardEdit(f.id, 'F v1');
    await drain(createOutboxWorker(core, fake.deliverer, paced));
    const rows = await core.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.platform, PLATFORM), inArray(outbox.status, ['dead'])));
    const deadEdit = rows.find((r) => (r.payload as unknown as OutboxMessage).kind === 'edit');
    expect(deadEdit?.lastErrorCode).toBe('target_not_delivered');
  });
});
