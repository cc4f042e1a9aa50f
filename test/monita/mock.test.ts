import { afterEach, describe, expect, it } from 'vitest';
import { createMonitaClient } from '../../src/monita/client.js';
import { MONITA_STATUSES } from '../../src/monita/feed.js';
import { type MonitaMock, type MonitaMockOptions, startMonitaMock } from '../../src/monita/mock.js';

const T0 = Date.parse('2026-03-02T01:00:00.000Z');
const MIN = 60_000;

/** A clock the test moves by hand: stage times are then exact and nothing waits. */
function manualClock(start = T0) {
  let now = start;
  return { clock: () => new Date(now), advance: (ms: number) => (now += ms) };
}

const open: MonitaMock[] = [];
async function mock(opts: MonitaMockOptions) {
  const m = await startMonitaMock(opts);
  open.push(m);
  return m;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((m) => m.close()));
});

async function getJson(url: string) {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function allUpdates(url: string, limit = 500) {
  const client = createMonitaClient({ baseUrl: url, timeoutMs: 5000 });
  const out = [];
  let cursor: string | null = null;
  for (;;) {
    const page = await client.fetchUpdates(cursor, limit);
    out.push(...page.updates);
    cursor = page.nextCursor;
    if (page.received < limit) return { updates: out, cursor };
  }
}

const inputs = [
  { customerId: '122123456789', service: 'indihome', symptom: 'Internet mati, lampu LOS merah' },
  { customerId: '4700123456', service: 'internet', symptom: 'Link Astinet down' },
  { customerId: '0215551234', service: 'telepon', symptom: 'Tidak ada nada pilih' },
] as const;

describe('mock MONITA over HTTP', () => {
  it('§5 the same seed, speed and creation order give the same tickets, stage times and texts', async () => {
    const runs = [];
    for (let i = 0; i < 2; i++) {
      const c = manualClock();
      const m = await mock({ seed: 'demo', speed: 1, clock: c.clock });
      const client = createMonitaClient({ baseUrl: m.url });
      const ids = [];
      for (const input of inputs) {
        ids.push(await client.createTicket(input));
        c.advance(7_000);
      }
      c.advance(60 * MIN);
      runs.push({ ids, feed: (await allUpdates(m.url)).updates });
    }
    expect(runs[0]!.ids).toEqual(runs[1]!.ids);
    expect(runs[0]!.feed).toEqual(runs[1]!.feed);
    expect(runs[0]!.feed.length).toBeGreaterThanOrEqual(inputs.length * 7);

    const c = manualClock();
    const other = await mock({ seed: 'other', clock: c.clock });
    const otherClient = createMonitaClient({ baseUrl: other.url });
    const otherIds = [];
    for (const input of inputs) otherIds.push(await otherClient.createTicket(input));
    expect(otherIds).not.toEqual(runs[0]!.ids);
  });

  it('§5 every ticket goes through the stages in order, with Indonesian texts per service line', async () => {
    const c = manualClock();
    const m = await mock({ seed: 7, clock: c.clock });
    const ids = inputs.map((input) => m.createTicket(input));
    c.advance(120 * MIN);
    const { updates } = await allUpdates(m.url, 3);
    for (const id of ids) {
      const mine = updates.filter((u) => u.ticketId === id);
      const ranks = mine.map((u) => MONITA_STATUSES.indexOf(u.status));
      expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
      expect(mine[0]!.status).toBe('OPEN');
      expect(mine.at(-2)!.status).toBe('RESOLVED');
      expect(mine.at(-1)!.status).toBe('CLOSED');
      expect(new Set(mine.map((u) => u.status))).toEqual(new Set(MONITA_STATUSES));
      const times = mine.map((u) => Date.parse(u.updatedAt));
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(new Set(mine.map((u) => u.id)).size).toBe(mine.length);
    }
    const stages = updates.map((u) => u.stage).join(' | ');
    expect(stages).toContain('Teknisi menuju lokasi pelanggan');
    expect(stages).toMatch(/NOC data/); // internet line
    expect(stages).toMatch(/MDF|rumah kabel|kabel sekunder|pesawat telepon/); // telepon line
  });

  it('at the default speed the first stages arrive within two minutes; speed multiplies the clock', async () => {
    const c = manualClock();
    const m = await mock({ seed: 3, clock: c.clock });
    const id = m.createTicket(inputs[0]);
    const plan = m.plan(id)!;
    const byStatus = (s: string) => plan.find((p) => p.status === s)!.at.getTime() - T0;
    expect(byStatus('OPEN')).toBe(0);
    expect(byStatus('ASSIGNED')).toBeLessThanOrEqual(45_000);
    expect(byStatus('ON_THE_WAY')).toBeLessThanOrEqual(2 * MIN);

    c.advance(2 * MIN);
    const seen = (await allUpdates(m.url)).updates.map((u) => u.status);
    expect(seen.slice(0, 3)).toEqual(['OPEN', 'ASSIGNED', 'ON_THE_WAY']);

    const fast = await mock({ seed: 3, speed: 60, clock: manualClock().clock });
    const fastPlan = fast.plan(fast.createTicket(inputs[0]))!;
    expect(fastPlan.map((p) => p.at.getTime() - T0)).toEqual(plan.map((p) => Math.round((p.at.getTime() - T0) / 60)));
    expect(fastPlan.map((p) => p.stage)).toEqual(plan.map((p) => p.stage));
  });

  it('§5 since=<cursor> paging is stable: pages join up without gaps or repeats as time passes', async () => {
    const c = manualClock();
    const m = await mock({ seed: 11, clock: c.clock });
    for (const input of inputs) m.createTicket(input);
    const client = createMonitaClient({ baseUrl: m.url });
    const seen: string[] = [];
    let cursor: string | null = null;
    // Read in small pages while the clock moves and a late ticket arrives.
    for (let step = 0; step < 80; step++) {
      const page = await client.fetchUpdates(cursor, 2);
      seen.push(...page.updates.map((u) => u.id));
      cursor = page.nextCursor;
      if (step === 10) m.createTicket({ customerId: 'GLB-20331', service: 'global', symptom: 'Latensi tinggi' });
      c.advance(37_000);
    }
    const all = (await allUpdates(m.url)).updates.map((u) => u.id);
    expect(seen).toEqual(all);
    expect(new Set(seen).size).toBe(seen.length);

    // Reading again from an old cursor gives the same page.
    const first = await client.fetchUpdates(null, 3);
    const again = await client.fetchUpdates(null, 3);
    expect(again).toEqual(first);
    const next = await client.fetchUpdates(first.nextCursor, 3);
    expect(next.updates.map((u) => u.id)).toEqual(all.slice(3, 6));
  });

  it('a cursor of another mock instance reads from the start; a malformed one is refused', async () => {
    const m = await mock({ seed: 1, clock: manualClock().clock });
    m.createTicket(inputs[0]);
    const fresh = await getJson(`${m.url}/api/updates?since=zzz-999`);
    expect(fresh.status).toBe(200);
    expect((fresh.body.updates as unknown[]).length).toBe(1);
    expect((await getJson(`${m.url}/api/updates?since=${encodeURIComponent('not a cursor')}`)).status).toBe(400);
    expect((await getJson(`${m.url}/api/updates?limit=0`)).status).toBe(400);
  });

  it('tickets: current state, a linked id registered on first sight, bad ids and bodies refused', async () => {
    const c = manualClock();
    const m = await mock({ seed: 5, clock: c.clock, preexisting: [{ ticketId: 'IN555000111', ageMs: 3 * MIN }] });
    const pre = await getJson(`${m.url}/api/tickets/IN555000111`);
    expect(pre.status).toBe(200);
    expect(pre.body.status).not.toBe('OPEN'); // three minutes in: some stages passed

    const linked = await getJson(`${m.url}/api/tickets/IN900000001`);
    expect(linked.body).toMatchObject({ ticketId: 'IN900000001', status: 'OPEN' });
    c.advance(10 * MIN); // RESOLVED comes by 8 min, CLOSED not before 13
    expect((await getJson(`${m.url}/api/tickets/IN900000001`)).body.status).toBe('RESOLVED');
    expect((await allUpdates(m.url)).updates.some((u) => u.ticketId === 'IN900000001')).toBe(true);

    expect((await getJson(`${m.url}/api/tickets/GGN-000001`)).status).toBe(404);

    const post = (body: string) =>
      fetch(`${m.url}/api/tickets`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    expect((await post('{oops')).status).toBe(400);
    expect((await post(JSON.stringify({ customerId: 'x', service: 'tv', symptom: 'y' }))).status).toBe(400);
    const ok = await post(JSON.stringify(inputs[1]));
    expect(ok.status).toBe(201);
    expect(((await ok.json()) as { ticketId: string }).ticketId).toMatch(/^IN\d{9}$/);
    // Registering an existing id is idempotent.
    const again = await post(JSON.stringify({ ...inputs[1], ticketId: 'IN555000111' }));
    expect(await again.json()).toEqual({ ticketId: 'IN555000111' });
  });
});
