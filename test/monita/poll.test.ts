import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../src/app.js';
import { runCommandLine } from '../../src/command/dispatch.js';
import { monitaCursor, outbox, ticketEvents, tickets } from '../../src/db/schema.js';
import { linkMockTickets, monitaPollJob, pollMonita } from '../../src/jobs/monita-poll.js';
import { createMonitaClient } from '../../src/monita/client.js';
import { startMonitaMock } from '../../src/monita/mock.js';
import type { OutboxMessage } from '../../src/outbox/types.js';
import { afterTicketOpenedMonita } from '../../src/services/monita.js';
import { type FakeFeed, feedItem, startFakeFeed } from '../fakes/monita-feed.js';
import { startJobsCore, type TestCore } from '../jobs/db.js';
import { captureLog } from './log.js';

let now = Date.parse('2026-03-02T01:00:00.000Z');
const clock = () => new Date(now);
let env: TestCore;
let core: Core;
let feed: FakeFeed;
const log = captureLog();

beforeAll(async () => {
  env = await startJobsCore(clock);
  core = env.core;
  core.log = log.logger;
  feed = await startFakeFeed();
});
afterAll(async () => {
  await feed?.close();
  await env?.close();
});
beforeEach(() => {
  feed.log.length = 0;
  feed.requests.length = 0;
});

let customer = 122100000000;
/** Opens a ticket through the real command path, as agent ani; returns its row. */
async function openTicket(channel: string, monita?: string, service = 'indihome') {
  const id = service === 'indihome' ? String(customer++) : `47${customer++}`;
  const line = `buka layanan=${service} id=${id} nama="Sari Dewi" kontak=081234567890 keluhan="Internet mati total"${monita ? ` monita=${monita}` : ''}`;
  const out = await runCommandLine(core, { platform: 'console', userId: 'ani', channel }, line);
  expect(out.error).toBeNull();
  const [row] = await core.db.select().from(tickets).where(eq(tickets.number, out.replies[0]!.ticket!));
  return row!;
}

async function threadPosts(ticketId: number) {
  const rows = await core.db.select().from(outbox).orderBy(asc(outbox.id));
  return rows
    .map((r) => ({ ...r, message: r.payload as unknown as OutboxMessage }))
    .filter((r) => r.message.kind === 'post' && r.message.threadOfTicket === ticketId);
}

async function monitaEvents(ticketId: number) {
  const rows = await core.db
    .select()
    .from(ticketEvents)
    .where(eq(ticketEvents.ticketId, ticketId))
    .orderBy(asc(ticketEvents.id));
  return rows.filter((e) => e.type === 'monita_update');
}

const outboxCount = async () => (await core.db.select({ id: outbox.id }).from(outbox)).length;

describe('monita-poll', () => {
  it('P5.9 acceptance: a feed that answers 500, sends malformed items, repeats an update and names an unknown ticket — every valid new stage is posted once in the right thread, nothing else, and posko stays up', async () => {
    const a = await openTicket('tim-a', 'IN100000001');
    const b = await openTicket('tim-b', 'IN100000002', 'internet');
    const c = await openTicket('tim-a'); // not linked: hears nothing
    const client = createMonitaClient({ baseUrl: feed.url, timeoutMs: 2000, log: core.log });
    const before = await outboxCount();
    const opts = { feed: 'acceptance' };

    // The feed is down: the tick ends quietly, nothing moves.
    feed.fail({ kind: 'status', status: 500 });
    const down = await pollMonita(core, client, clock(), opts);
    expect(down).toMatchObject({ ok: false, posted: 0 });
    const warnings = log.lines.filter((l) => /MONITA unavailable/.test(String(l.msg)));
    expect(warnings).toHaveLength(1);

    feed.log.push(
      feedItem('u-a1', 'IN100000001', 'ASSIGNED', {
        stage: 'Tiket diteruskan ke teknisi lapangan',
        updatedAt: '2026-03-02T01:01:00Z',
      }),
      feedItem('u-bad', 'IN100000001', 'TELEPORTED'),
      feedItem('u-a1', 'IN100000001', 'ASSIGNED', {
        stage: 'Tiket diteruskan ke teknisi lapangan',
        updatedAt: '2026-03-02T01:01:00Z',
      }),
      feedItem('u-x1', 'IN999999999', 'ON_SITE'),
      feedItem('u-b1', 'IN100000002', 'ASSIGNED', {
        stage: 'Tiket diteruskan ke NOC data',
        updatedAt: '2026-03-02T01:02:00Z',
      }),
      feedItem('u-a2', 'IN100000001', 'ON_THE_WAY', {
        stage: 'Teknisi menuju lokasi pelanggan',
        updatedAt: '2026-03-02T01:03:00Z',
      }),
      { id: 'u-a3', ticketId: 'IN100000001', status: 'ON_SITE', stage: 'Tiba', updatedAt: 'sebentar lagi' },
      // Out of order: an older stage arrives after a newer one.
      feedItem('u-a0', 'IN100000001', 'OPEN', {
        stage: 'Tiket gangguan diterima di MONITA',
        updatedAt: '2026-03-02T01:00:30+07:00',
      }),
    );
    const first = await pollMonita(core, client, clock(), opts);
    expect(first).toMatchObject({ ok: true, posted: 4, repeated: 1, unknown: 1, invalid: 2 });

    // Later: the feed hangs once, then repeats old updates beside a new one.
    feed.log.push(
      feedItem('u-b1', 'IN100000002', 'ASSIGNED', {
        stage: 'Tiket diteruskan ke NOC data',
        updatedAt: '2026-03-02T01:02:00Z',
      }),
      feedItem('u-b2', 'IN100000002', 'RESOLVED', { stage: 'Link normal kembali', updatedAt: '2026-03-02T01:20:00Z' }),
      feedItem('u-a1', 'IN100000001', 'ASSIGNED', {
        stage: 'Tiket diteruskan ke teknisi lapangan',
        updatedAt: '2026-03-02T01:01:00Z',
      }),
    );
    feed.fail({ kind: 'hang' });
    expect(await pollMonita(core, client, clock(), opts)).toMatchObject({ ok: false, posted: 0 });
    const second = await pollMonita(core, client, clock(), opts);
    expect(second).toMatchObject({ ok: true, posted: 1, repeated: 2 });
    // And the whole feed replayed from the start changes nothing.
    await core.db.update(monitaCursor).set({ cursor: null }).where(eq(monitaCursor.feed, 'acceptance'));
    expect(await pollMonita(core, client, clock(), opts)).toMatchObject({ ok: true, posted: 0 });

    const postsA = await threadPosts(a.id);
    const postsB = await threadPosts(b.id);
    expect(postsA.map((p) => p.message.kind === 'post' && p.message.reply.text)).toEqual([
      expect.stringMatching(/^GGN-\d{6} · .*IN100000001.*Tiket diteruskan ke teknisi lapangan/),
      expect.stringMatching(/Teknisi menuju lokasi pelanggan/),
      expect.stringMatching(/Tiket gangguan diterima di MONITA/),
    ]);
    expect(postsB).toHaveLength(2);
    expect(await threadPosts(c.id)).toHaveLength(0);
    for (const p of [...postsA, ...postsB]) {
      const ticket = p.message.kind === 'post' && p.message.threadOfTicket === a.id ? a : b;
      expect({ platform: p.platform, channel: p.channel }).toEqual({
        platform: ticket.platform,
        channel: ticket.channel,
      });
      expect(p.message.kind === 'post' && p.message.reply.audience).toBe('thread');
    }
    // Nothing else was queued: five stages, five messages.
    expect((await outboxCount()) - before).toBe(5);

    expect((await monitaEvents(a.id)).map((e) => e.payload.updateId)).toEqual(['u-a1', 'u-a2', 'u-a0']);
    expect((await monitaEvents(b.id)).map((e) => e.payload.updateId)).toEqual(['u-b1', 'u-b2']);
    const [aNow] = await core.db.select().from(tickets).where(eq(tickets.id, a.id));
    const [bNow] = await core.db.select().from(tickets).where(eq(tickets.id, b.id));
    expect(aNow!.monitaStatus).toBe('ON_THE_WAY'); // the late OPEN did not move it back
    expect(bNow!.monitaStatus).toBe('RESOLVED');

    // posko stays up: commands still answer, the history shows MONITA's stages.
    const view = await runCommandLine(
      core,
      { platform: 'console', userId: 'ani', channel: 'tim-a' },
      `lihat ${a.number}`,
    );
    expect(view.error).toBeNull();
    expect(view.replies[0]!.history!.join('\n')).toMatch(/Teknisi menuju lokasi pelanggan/);
  });

  it('P5.11 RESOLVED asks the assignee, by mention, to confirm the result with the customer', async () => {
    const t = await openTicket('tim-a', 'IN100000011');
    const client = createMonitaClient({ baseUrl: feed.url, timeoutMs: 2000 });
    feed.log.push(feedItem('r-1', 'IN100000011', 'RESOLVED', { stage: 'Gangguan selesai diperbaiki' }));
    await pollMonita(core, client, clock(), { feed: 'p511' });
    const [post] = await threadPosts(t.id);
    const msg = post!.message;
    expect(msg.kind === 'post' && msg.reply.mentions).toEqual([t.assignee]);
    expect(msg.kind === 'post' && msg.reply.text).toContain(`<@${t.assignee}>`);
    expect(msg.kind === 'post' && msg.reply.text).toContain(`konfirmasi ${t.number} hasil=ok`);

    // Once the customer has confirmed, a later RESOLVED is news, not a request.
    const done = await openTicket('tim-a', 'IN100000012');
    const confirm = await runCommandLine(
      core,
      { platform: 'console', userId: 'ani', channel: 'tim-a' },
      `konfirmasi ${done.number} hasil=ok`,
    );
    expect(confirm.error).toBeNull();
    feed.log.push(feedItem('r-2', 'IN100000012', 'RESOLVED', { stage: 'Gangguan selesai diperbaiki' }));
    await pollMonita(core, client, clock(), { feed: 'p511' });
    const posts = await threadPosts(done.id);
    const last = posts.at(-1)!.message;
    expect(last.kind === 'post' && last.reply.text).toMatch(/Gangguan selesai diperbaiki/);
    expect(last.kind === 'post' && last.reply.mentions).toEqual([]);
  });

  it('the cursor advances only over pages handled: a feed failing mid-way resumes where it stopped', async () => {
    const t = await openTicket('tim-a', 'IN100000021');
    const client = createMonitaClient({ baseUrl: feed.url, timeoutMs: 2000 });
    for (let i = 1; i <= 5; i++)
      feed.log.push(feedItem(`c-${i}`, 'IN100000021', 'REPAIRING', { stage: `Langkah ${i}` }));
    // Page one (2 items) is served, the second page request fails.
    feed.fail(
      { kind: 'body', body: { updates: [feed.log[0], feed.log[1]], nextCursor: 'c2' } },
      { kind: 'status', status: 502 },
    );
    const r1 = await pollMonita(core, client, clock(), { feed: 'resume', pageSize: 2 });
    expect(r1).toMatchObject({ ok: false, posted: 2, pages: 1 });
    const [cur] = await core.db.select().from(monitaCursor).where(eq(monitaCursor.feed, 'resume'));
    expect(cur!.cursor).toBe('c2');
    const r2 = await pollMonita(core, client, clock(), { feed: 'resume', pageSize: 2 });
    expect(r2).toMatchObject({ ok: true, posted: 3, pages: 2 });
    expect(feed.requests.slice(-2)).toEqual(['c2', 'c4']);
    expect((await monitaEvents(t.id)).map((e) => e.payload.stage)).toEqual([
      'Langkah 1',
      'Langkah 2',
      'Langkah 3',
      'Langkah 4',
      'Langkah 5',
    ]);
  });

  it('two runners at once on one database: each stage is posted once', async () => {
    const t = await openTicket('tim-a', 'IN100000031');
    const client = createMonitaClient({ baseUrl: feed.url, timeoutMs: 1000 });
    for (let i = 1; i <= 6; i++) feed.log.push(feedItem(`d-${i}`, 'IN100000031', 'REPAIRING', { stage: `Tahap ${i}` }));
    const results = await Promise.all([
      pollMonita(core, client, clock(), { feed: 'twice', pageSize: 2 }),
      pollMonita(core, client, clock(), { feed: 'twice', pageSize: 2 }),
    ]);
    expect(results[0]!.posted + results[1]!.posted).toBe(6);
    expect(await threadPosts(t.id)).toHaveLength(6);
  });

  it('a page is bounded: a long backlog is read over several ticks', async () => {
    await openTicket('tim-a', 'IN100000041');
    const client = createMonitaClient({ baseUrl: feed.url, timeoutMs: 1000 });
    for (let i = 1; i <= 7; i++) feed.log.push(feedItem(`e-${i}`, 'IN100000041', 'REPAIRING'));
    const r1 = await pollMonita(core, client, clock(), { feed: 'bounded', pageSize: 2, maxPages: 2 });
    expect(r1).toMatchObject({ posted: 4, more: true });
    const r2 = await pollMonita(core, client, clock(), { feed: 'bounded', pageSize: 2, maxPages: 2 });
    expect(r2).toMatchObject({ posted: 3, more: false });
  });
});

describe('monita-poll with the mock MONITA (MONITA_URL unset)', () => {
  it('P5.9 a ticket opened without monita= gets a mock fault ticket, and its first stages reach the thread within two minutes', async () => {
    const mock = await startMonitaMock({ seed: 'demo', clock });
    try {
      const client = createMonitaClient({ baseUrl: mock.url, timeoutMs: 1000 });
      core.monita = client;
      const t = await openTicket('tim-a');
      expect(await linkMockTickets(core, client)).toBeGreaterThanOrEqual(1);
      const [linked] = await core.db.select().from(tickets).where(eq(tickets.id, t.id));
      expect(linked!.monitaId).toMatch(/^IN\d+$/);

      now += 2 * 60_000;
      const result = await monitaPollJob.run(core, clock());
      expect(result.detail).toMatch(/MONITA stages posted/);
      const stages = (await monitaEvents(t.id)).map((e) => e.payload.status);
      expect(stages.slice(0, 3)).toEqual(['OPEN', 'ASSIGNED', 'ON_THE_WAY']);
      expect(await threadPosts(t.id)).toHaveLength(stages.length);

      now += 60 * 60_000;
      await monitaPollJob.run(core, clock());
      const all = (await monitaEvents(t.id)).map((e) => e.payload.status);
      expect(all).toContain('RESOLVED');
      expect(all.at(-1)).toBe('CLOSED');
    } finally {
      await mock.close();
    }
  });

  it('P5.9 a ticket linked with monita=IN… in mock mode is registered in the mock and hears its stages', async () => {
    const mock = await startMonitaMock({ seed: 'linked', clock });
    try {
      const client = createMonitaClient({ baseUrl: mock.url, timeoutMs: 1000 });
      // Opened while the feed was not reachable: buka's hook had nothing to call.
      core.monita = undefined;
      const late = await openTicket('tim-b', 'IN424242002', 'internet');
      core.monita = client;
      const hooked = await openTicket('tim-a', 'IN424242001');
      // buka's hook registers the first at once (awaited here: buka does not wait for it);
      // the poll catches the second up.
      await afterTicketOpenedMonita(core, hooked);
      expect(mock.plan('IN424242001')).not.toBeNull();
      expect(mock.plan('IN424242002')).toBeNull();
      await monitaPollJob.run(core, clock());
      expect(mock.plan('IN424242002')![1]!.stage).toMatch(/NOC data/); // the ticket's own service line

      now += 2 * 60_000;
      await monitaPollJob.run(core, clock());
      for (const t of [hooked, late]) {
        const stages = (await monitaEvents(t.id)).map((e) => e.payload.status);
        expect(stages.slice(0, 2)).toEqual(['OPEN', 'ASSIGNED']);
      }
    } finally {
      await mock.close();
    }
  });

  it('a mock restarted with the same seed on a kept database never links a new ticket to a taken id', async () => {
    const first = await startMonitaMock({ seed: 'restart', clock });
    const client1 = createMonitaClient({ baseUrl: first.url, timeoutMs: 1000 });
    const old = await openTicket('tim-a');
    await afterTicketOpenedMonita({ ...core, monita: client1 }, old);
    await first.close();
    const second = await startMonitaMock({ seed: 'restart', clock });
    try {
      const fresh = await openTicket('tim-a');
      await afterTicketOpenedMonita({ ...core, monita: createMonitaClient({ baseUrl: second.url }) }, fresh);
      const [a] = await core.db.select().from(tickets).where(eq(tickets.id, old.id));
      const [b] = await core.db.select().from(tickets).where(eq(tickets.id, fresh.id));
      expect(a!.monitaId).toMatch(/^IN\d+$/);
      expect(b!.monitaId).toMatch(/^IN\d+$/);
      expect(b!.monitaId).not.toBe(a!.monitaId);
    } finally {
      await second.close();
    }
  });

  it('polls every minute with the mock and the default schedule; MONITA_POLL_CRON otherwise', () => {
    expect(monitaPollJob.cron({ ...core.config, MONITA_URL: undefined, MONITA_POLL_CRON: '*/5 * * * *' })).toBe(
      '* * * * *',
    );
    expect(monitaPollJob.cron({ ...core.config, MONITA_URL: 'http://m', MONITA_POLL_CRON: '*/5 * * * *' })).toBe(
      '*/5 * * * *',
    );
    expect(monitaPollJob.cron({ ...core.config, MONITA_URL: undefined, MONITA_POLL_CRON: '*/2 * * * *' })).toBe(
      '*/2 * * * *',
    );
  });
});
