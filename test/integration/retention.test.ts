import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, ticketEvents, tickets } from '../../src/db/schema.js';
import { retention } from '../../src/jobs/retention.js';
import type { Deliverer } from '../../src/outbox/types.js';
import { deliverDue } from '../../src/outbox/worker.js';
import { digestFigures } from '../../src/services/digest.js';
import { sameCustomer } from '../../src/services/ticket-store.js';
import { startTestCore, type TestCore } from '../helpers/core.js';
import { POSKO_CLI, poskoEnv, ROOT } from '../helpers/posko-process.js';

/**
 * Issue 16.6, UU PDP: tickets closed more than POSKO_RETENTION_DAYS ago lose the customer's name,
 * ID, contact and complaint text everywhere in the database; the record and the KPIs stay.
 */
const DAYS = 30;
const DAY = 86_400_000;
let t: TestCore;

/** The old customer: every value is searched for in every row of every table. */
const OLD = {
  id: `13${String(process.pid % 100000).padStart(5, '0')}00001`,
  name: 'Wulan Purnamasari',
  contact: '081377771234',
  complaint: 'modem berkedip merah terus',
};
const RECENT = {
  id: `13${String(process.pid % 100000).padStart(5, '0')}00002`,
  name: 'Bambang Triatmojo',
  contact: '081299994321',
  complaint: 'telepon rumah berdengung',
};
/** What must be gone: name words, the ID, the contact's digits (as typed and as stored), complaint words. */
const needles = (c: typeof OLD) => [
  ...c.name.split(' '),
  c.id,
  c.contact.slice(1),
  ...c.complaint.split(' ').filter((w) => w.length > 5),
];
const n: Record<string, string> = {};

async function ok(user: string, line: string) {
  const out = await t.run(user, line);
  expect(out.error, `${line}: ${out.replies[0]?.text}`).toBeNull();
  return out.replies[0]?.text ?? '';
}
const number = (text: string) => /GGN-\d+/.exec(text)?.[0] ?? '';
const open = (c: typeof OLD) =>
  `buka layanan=indihome id=${c.id} nama="${c.name}" kontak=${c.contact} keluhan="${c.complaint}"`;

/** A platform that takes every message: the outbox rows end as sent, as in production. */
const sink: Deliverer = {
  platform: 'console',
  post: async (channel) => ({ platform: 'console', channel, messageId: String(Math.random()) }),
  edit: async () => {},
  dm: async (userKey) => ({ platform: 'console', channel: userKey, messageId: String(Math.random()) }),
};
async function deliverAll() {
  while ((await deliverDue(t.core, sink)) > 0) {}
}

/** Every row of every table of ours, as text, that holds one of the values. */
async function rowsHolding(values: string[]): Promise<string[]> {
  const tables = (await t.core.db.execute(
    sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
  )) as unknown as { rows?: { table_name: string }[] } & { table_name: string }[];
  const names = (tables.rows ?? tables).map((r) => r.table_name);
  expect(names).toEqual(expect.arrayContaining(['tickets', 'ticket_events', 'escalations', 'outbox', 'audit_log']));
  const hits: string[] = [];
  for (const table of names) {
    const result = (await t.core.db.execute(sql.raw(`select x::text as row from "${table}" x`))) as unknown as {
      rows?: { row: string }[];
    } & { row: string }[];
    for (const { row } of result.rows ?? result) {
      const lower = row.toLowerCase();
      for (const v of values) if (lower.includes(v.toLowerCase())) hits.push(`${table}: ${v}`);
    }
  }
  return hits;
}

const period = () => ({ from: new Date('2026-11-01T00:00:00Z'), to: t.core.clock() });

beforeAll(async () => {
  t = await startTestCore({ POSKO_RETENTION_DAYS: String(DAYS) });
  // The old ticket: every kind of free text that may carry the customer's values.
  n.old = number(await ok('ani', open(OLD)));
  await ok('ani', `catat ${n.old} ${OLD.name} minta ditelepon ke ${OLD.contact}, ${OLD.complaint}`);
  await ok('ani', `buka-data ${n.old}`);
  await ok('ani', `${open(OLD).replace('modem berkedip merah terus', 'modem masih berkedip')}`); // a repeat contact
  await ok('ani', `kabari ${n.old} teknisi ke rumah ${OLD.name}`);
  await ok('ani', `hubungi ${n.old} hasil=tersambung ${OLD.name} di rumah`);
  await ok('ani', `eskalasi ${n.old} ke=tl ${OLD.name}: modem berkedip sejak kemarin`);
  await ok('budi', `tolak ${n.old} cek dulu modem ${OLD.name}`);
  await ok('ani', `konfirmasi ${n.old} hasil=ok puas=4 ${OLD.name} puas`);
  await ok('ani', `tutup ${n.old} tawaran=ya kode=FIXED`);
  await deliverAll();
  // Closed DAYS days and an hour before the run; the recent one DAYS days less an hour.
  t.clock.advance(2 * DAY);
  n.recent = number(await ok('ani', open(RECENT)));
  await ok('ani', `catat ${n.recent} ${RECENT.name} ${RECENT.complaint}`);
  await ok('ani', `konfirmasi ${n.recent} hasil=ok`);
  await ok('ani', `tutup ${n.recent} tawaran=ya kode=FIXED`);
  await deliverAll();
  t.clock.advance((DAYS - 2) * DAY + 3_600_000);
}, 60_000);
afterAll(() => t?.close());

describe('UU PDP retention: customer values of tickets closed over POSKO_RETENTION_DAYS ago are erased', () => {
  let before: Awaited<ReturnType<typeof digestFigures>>;

  it('the scan finds the values before the job (the check can see them)', async () => {
    before = await digestFigures(t.core, t.core.clock(), period());
    expect(before.closed).toBe(2);
    expect((await rowsHolding(needles(OLD))).length).toBeGreaterThan(0);
  });

  it('after the job no row of any table holds the erased customer’s name, ID, contact or complaint words', async () => {
    const result = await retention(t.core, t.core.clock());
    expect(result.detail).toMatch(/^1 tickets erased/);
    expect(await rowsHolding(needles(OLD))).toEqual([]);
    const [row] = await t.core.db
      .select()
      .from(tickets)
      .where(eq(tickets.number, n.old as string));
    expect(row).toMatchObject({ customerId: '', customerName: '', contact: '', complaint: '', status: 'closed' });
    expect(row?.customerIndex).toBe(`erased:${row?.id}`);
    expect(row?.erasedAt).toEqual(t.core.clock());
    // No lookup finds the customer any more.
    const found = await t.core.db.select().from(tickets).where(sameCustomer('indihome', OLD.id));
    expect(found).toEqual([]);
  });

  it('the events keep their types, times and KPI fields; the digest counts the same', async () => {
    const after = await digestFigures(t.core, t.core.clock(), period());
    expect(after.kpi).toEqual(before.kpi);
    expect(after.satisfaction).toEqual(before.satisfaction);
    expect({ ...after, period: null }).toEqual({ ...before, period: null });
    const [row] = await t.core.db
      .select()
      .from(tickets)
      .where(eq(tickets.number, n.old as string));
    const events = await t.core.db
      .select()
      .from(ticketEvents)
      .where(eq(ticketEvents.ticketId, row?.id ?? 0));
    expect(events.map((e) => e.type)).toContain('repeat_contact');
    expect(events.find((e) => e.type === 'confirmed')?.payload).toMatchObject({ result: 'ok', rating: 4, text: '' });
    expect(events.at(-1)).toMatchObject({ type: 'data_erased', actor: 'posko', payload: { days: DAYS } });
  });

  it('a ticket closed less than POSKO_RETENTION_DAYS ago is untouched', async () => {
    const [row] = await t.core.db
      .select()
      .from(tickets)
      .where(eq(tickets.number, n.recent as string));
    expect(row).toMatchObject({ customerName: RECENT.name, customerId: RECENT.id, erasedAt: null });
    expect((await rowsHolding([RECENT.complaint])).length).toBeGreaterThan(0);
  });

  it('each run is audited as posko’s act, with counts and no values; a second run erases nothing more', async () => {
    await retention(t.core, t.core.clock());
    const runs = await t.core.db.select().from(auditLog).where(eq(auditLog.type, 'retention_erased'));
    expect(runs).toHaveLength(2);
    expect(runs[0]).toMatchObject({ actor: 'posko', payload: { days: DAYS, tickets: 1 } });
    expect(runs[1]?.payload).toMatchObject({ tickets: 0, events: 0 });
    expect(JSON.stringify(runs)).not.toMatch(/Wulan|Bambang|berkedip/);
  });

  it('an erased ticket cannot be reopened (its customer is gone); the events table stays append-only', async () => {
    const out = await t.run('budi', `buka-lagi ${n.old} mati lagi`);
    expect(out.error).toBe('conflict');
    await expect(t.core.db.update(ticketEvents).set({ payload: {} })).rejects.toThrow();
  });
});

describe('npx posko job retention', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'posko-retention-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs the job once and says what it erased', async () => {
    const env = poskoEnv({ POSKO_DATA_DIR: dir, POSKO_RETENTION_DAYS: '0', LOG_LEVEL: 'silent' });
    const child = spawn(process.execPath, [...POSKO_CLI, 'job', 'retention'], { cwd: ROOT, env });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(stdout).toMatch(/^retention: 0 tickets erased \(closed over 0 days ago\)/);
  }, 60_000);
});
