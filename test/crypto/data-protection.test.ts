import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { keyRing } from '../../src/crypto/keys.js';
import { resealRows } from '../../src/crypto/reseal.js';
import { activeKeyRing, installKeyRing } from '../../src/crypto/ring.js';
import { rotateKey } from '../../src/crypto/rotate.js';
import { sealedKeyId, unseal } from '../../src/crypto/seal.js';
import { roster, ticketEvents, tickets } from '../../src/db/schema.js';
import { digestFigures, renderDigest } from '../../src/services/digest.js';
import { customerId, startTestCore, type TestCore } from '../helpers/core.js';
import { TEST_DATA_KEY } from '../helpers/data-key.js';

let t: TestCore;
beforeAll(async () => {
  t = await startTestCore();
  const now = t.clock.now();
  await t.core.db.insert(roster).values([
    { userKey: 'console:dodi', role: 'agent', team: 'a', queue: 'reguler', updatedAt: now, updatedBy: 'test' },
    { userKey: 'console:eka', role: 'team_leader', team: 'b', queue: 'reguler', updatedAt: now, updatedBy: 'test' },
  ]);
});
afterAll(() => t?.close());

const NAME = 'Rahmawati Kusumaningrum';
const PHONE_LOCAL = '081377712345';
const PHONE_E164 = '6281377712345';
const openLine = (id: string) =>
  `buka layanan=indihome id=${id} nama="${NAME}" kontak=${PHONE_LOCAL} keluhan="internet mati sejak pagi"`;

async function open(id = customerId()): Promise<string> {
  const out = await t.run('ani', openLine(id));
  expect(out.error).toBeNull();
  return out.replies[0]?.ticket ?? '';
}

/** Every text and jsonb column of every tickets row, as stored. */
async function storedTicketText(): Promise<string> {
  const rows = await t.core.db.execute(sql`SELECT row_to_json(t)::text AS j FROM tickets t`);
  const list = (Array.isArray(rows) ? rows : (rows as { rows: unknown[] }).rows) as { j: string }[];
  return list.map((r) => r.j).join('\n');
}

const rawColumns = async (number: string) => {
  const [row] = await t.core.db
    .select({
      customerId: sql<string>`customer_id`,
      customerName: sql<string>`customer_name`,
      contact: sql<string>`contact`,
      complaint: sql<string>`complaint`,
      customerIndex: tickets.customerIndex,
    })
    .from(tickets)
    .where(eq(tickets.number, number));
  if (!row) throw new Error(`no ${number}`);
  return row;
};

describe('encryption at rest (issue 12 defect 3)', () => {
  it('no tickets column holds the customer name, ID, phone or complaint; services still see them', async () => {
    const id = customerId();
    const n = await open(id);
    const stored = await storedTicketText();
    for (const secret of [NAME, 'Rahmawati', id, PHONE_LOCAL.slice(1), PHONE_E164, 'internet mati'])
      expect(stored).not.toContain(secret);
    const raw = await rawColumns(n);
    for (const v of [raw.customerId, raw.customerName, raw.contact, raw.complaint])
      expect(sealedKeyId(v)).toBe(activeKeyRing().current.id);
    const view = await t.run('ani', `lihat ${n}`);
    expect(JSON.stringify(view.replies)).toContain(NAME);
  });

  it('P5.3 a repeat of the same customer finds the sealed ticket through the blind index; another service line does not', async () => {
    const id = customerId();
    const n = await open(id);
    const again = await t.run('budi', openLine(id));
    expect(again.replies[0]?.ticket).toBe(n);
    const [row] = await t.core.db.select().from(tickets).where(eq(tickets.number, n));
    expect(row?.repeatCount).toBe(1);
    const raw = await rawColumns(n);
    expect(raw.customerIndex).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(raw.customerIndex).not.toContain(id);
  });

  it('a sealed value moved to another column does not open (the column is bound in)', async () => {
    const raw = await rawColumns(await open());
    expect(() => unseal(activeKeyRing(), 'customer_name', raw.contact)).toThrow(/does not open/);
  });
});

describe('migration of rows written before encryption', () => {
  it('plaintext rows are sealed in batches at start, idempotently, and repeat detection finds them', async () => {
    const ids = [customerId(), customerId(), customerId()];
    const now = t.clock.now().toISOString();
    for (const id of ids)
      await t.core.db.execute(sql`
        INSERT INTO tickets (service, queue, team, customer_id, customer_name, contact, complaint, assignee, opened_by,
          platform, channel, sla_due_at, created_at, updated_at)
        VALUES ('indihome', 'reguler', 'a', ${id}, ${NAME}, ${`+${PHONE_E164}`}, 'internet mati sejak pagi',
          'console:ani', 'console:ani', 'console', 'team-a', ${now}::timestamptz, ${now}::timestamptz, ${now}::timestamptz)`);
    expect(await storedTicketText()).toContain(NAME);

    const first = await resealRows(t.core.db, activeKeyRing(), 'unsealed', 2);
    expect(first.resealed).toBe(3);
    expect((await resealRows(t.core.db, activeKeyRing(), 'unsealed', 2)).resealed).toBe(0);

    const stored = await storedTicketText();
    for (const secret of [NAME, PHONE_E164, ...ids]) expect(stored).not.toContain(secret);
    const again = await t.run('ani', openLine(ids[1] ?? ''));
    expect(again.error).toBeNull();
    const [legacy] = await t.core.db
      .select()
      .from(tickets)
      .where(eq(tickets.number, again.replies[0]?.ticket ?? ''));
    expect(legacy?.customerId).toBe(ids[1]);
    expect(legacy?.customerName).toBe(NAME);
    expect(legacy?.repeatCount).toBe(1);
  });
});

describe('posko rotate-key', () => {
  it('re-seals every row under the new key (old one as previous), recomputes the blind index, and repeats are still found', async () => {
    const id = customerId();
    const n = await open(id);
    const newKey = randomBytes(32).toString('base64');
    const ring = keyRing(newKey, TEST_DATA_KEY);
    installKeyRing(ring);
    try {
      const report = await rotateKey(t.core.db, 3);
      expect(report.resealed).toBeGreaterThan(0);
      expect(report.resealed).toBe(report.scanned);
      expect((await rotateKey(t.core.db, 3)).resealed).toBe(0);

      const newOnly = keyRing(newKey);
      const rows = await t.core.db
        .select({ id: sql<string>`customer_id`, name: sql<string>`customer_name`, contact: sql<string>`contact` })
        .from(tickets);
      for (const r of rows) {
        expect(sealedKeyId(r.id)).toBe(newOnly.current.id);
        expect(unseal(newOnly, 'customer_name', r.name)).toBe(NAME);
        expect(unseal(newOnly, 'contact', r.contact)).toMatch(/^\+62/);
      }
      const again = await t.run('ani', openLine(id));
      expect(again.replies[0]?.ticket).toBe(n);
    } finally {
      installKeyRing(keyRing(TEST_DATA_KEY, newKey));
      await rotateKey(t.core.db);
    }
  });
});

describe('buka-data (DESIGN §7)', () => {
  it('the assignee, their TL and a SPV see the full data ephemerally, each audited; anyone else is forbidden', async () => {
    const id = customerId();
    const n = await open(id);
    for (const who of ['ani', 'budi', 'citra']) {
      const out = await t.run(who, `buka-data ${n}`);
      expect(out.error).toBeNull();
      const reply = out.replies[0];
      expect(reply?.audience).toBe('ephemeral');
      const values = reply?.fields?.map((f) => f.value) ?? [];
      expect(values).toEqual([NAME, id, `+${PHONE_E164}`, 'internet mati sejak pagi']);
    }
    for (const who of ['dodi', 'eka']) expect((await t.run(who, `buka-data ${n}`)).error).toBe('forbidden');

    const [ticket] = await t.core.db.select({ id: tickets.id }).from(tickets).where(eq(tickets.number, n));
    const events = await t.core.db
      .select({ type: ticketEvents.type, actor: ticketEvents.actor })
      .from(ticketEvents)
      .where(eq(ticketEvents.ticketId, ticket?.id ?? 0));
    expect(events.filter((e) => e.type === 'data_revealed').map((e) => e.actor)).toEqual([
      'console:ani',
      'console:budi',
      'console:citra',
    ]);
    const history = JSON.stringify((await t.run('ani', `lihat ${n}`)).replies[0]?.history);
    expect(history).toContain(t.core.t('history.data_revealed'));
  });

  it('the digest counts reveals per person in the period', async () => {
    const n = await open();
    await t.run('ani', `buka-data ${n}`);
    await t.run('citra', `buka-data ${n}`);
    await t.run('citra', `buka-data ${n}`);
    const now = t.clock.now();
    const period = { from: new Date(now.getTime() - 60_000), to: new Date(now.getTime() + 60_000) };
    const before = await t.core.db
      .select({ actor: ticketEvents.actor })
      .from(ticketEvents)
      .where(eq(ticketEvents.type, 'data_revealed'));
    const count = (who: string) => before.filter((e) => e.actor === who).length;
    const f = await digestFigures(t.core, now, period);
    expect(f.reveals).toEqual(
      [
        { who: 'console:citra', n: count('console:citra') },
        { who: 'console:ani', n: count('console:ani') },
        { who: 'console:budi', n: count('console:budi') },
      ].sort((a, b) => b.n - a.n || a.who.localeCompare(b.who)),
    );
    const line = renderDigest(t.core, f).fields?.find((x) => x.label === t.core.t('digest.reveals'));
    expect(line?.value).toContain(`${count('console:citra')}`);
    expect(line?.value).toMatch(/citra/);
  });
});

describe('configuration', () => {
  it('PostgreSQL without POSKO_DATA_KEY is refused naming it; a short key is refused without echoing it', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://x@127.0.0.1/db' } as NodeJS.ProcessEnv, '')).toThrow(
      /^POSKO_DATA_KEY: required with a PostgreSQL DATABASE_URL/,
    );
    const short = Buffer.alloc(16, 1).toString('base64');
    expect(() => loadConfig({ POSKO_DATA_KEY: short } as NodeJS.ProcessEnv, '')).toThrow(/16 bytes, need 32/);
    try {
      loadConfig({ POSKO_DATA_KEY: short } as NodeJS.ProcessEnv, '');
    } catch (err) {
      expect((err as Error).message).not.toContain(short);
    }
  });
});
