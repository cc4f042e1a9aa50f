import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ticketEvents, tickets } from '../../src/db/schema.js';
import { actionableDigest } from '../../src/reports/digest.js';
import { digestFigures } from '../../src/services/digest.js';
import { customerId, openLine, startTestCore, type TestCore } from '../helpers/core.js';

/** Issue 16 point 5: `konfirmasi … puas=1..5` records the customer's rating; the digest shows it. */
let t: TestCore;
beforeAll(async () => {
  t = await startTestCore();
  const out = await t.run('citra', 'peran eko agent tim=b');
  expect(out.error).toBeNull();
});
afterAll(() => t?.close());

async function ok(user: string, line: string) {
  const out = await t.run(user, line);
  expect(out.error, `${line}: ${out.replies[0]?.text}`).toBeNull();
  return out;
}
const open = async (user = 'ani') => (await ok(user, openLine(customerId()))).replies[0]?.ticket as string;
const confirmations = async (number: string) => {
  const [row] = await t.core.db.select().from(tickets).where(eq(tickets.number, number));
  return t.core.db
    .select()
    .from(ticketEvents)
    .where(eq(ticketEvents.ticketId, row?.id ?? 0))
    .then((rows) => rows.filter((e) => e.type === 'confirmed'));
};

describe('P5.11, A10 konfirmasi puas= records the customer’s rating', () => {
  it('puas=4 is stored on the confirmation event', async () => {
    const n = await open();
    await ok('ani', `konfirmasi ${n} hasil=ok puas=4 pelanggan puas`);
    const [e] = await confirmations(n);
    expect(e?.payload).toMatchObject({ result: 'ok', rating: 4 });
  });

  it('without puas the confirmation carries no rating', async () => {
    const n = await open();
    await ok('ani', `konfirmasi ${n} hasil=ok`);
    const [e] = await confirmations(n);
    expect(e?.payload).not.toHaveProperty('rating');
  });

  it.each(['0', '6', 'baik', '4.5'])(
    'puas=%s is refused naming the key and the allowed values; nothing changes',
    async (v) => {
      const n = await open();
      const out = await t.run('ani', `konfirmasi ${n} hasil=ok puas=${v}`);
      expect(out.error).toBe('invalid_input');
      expect(out.replies[0]?.text).toContain('puas');
      expect(out.replies[0]?.text).toContain('1, 2, 3, 4, 5');
      expect(await confirmations(n)).toHaveLength(0);
      const [row] = await t.core.db.select().from(tickets).where(eq(tickets.number, n));
      expect(row?.status).toBe('open');
    },
  );

  it('the English key rating= works too', async () => {
    const n = await open();
    await ok('ani', `confirm ${n} result=ok rating=5`);
    const [e] = await confirmations(n);
    expect(e?.payload).toMatchObject({ rating: 5 });
  });
});

describe('digest: the average rating and the share of confirmations with one, per agent and team', () => {
  it('counts every confirmation in the period, rated or not', async () => {
    t.clock.advance(60_000);
    const from = t.core.clock();
    const a1 = await open('ani');
    const a2 = await open('ani');
    const a3 = await open('ani');
    const e1 = await open('eko');
    await ok('ani', `konfirmasi ${a1} hasil=ok puas=5`);
    await ok('ani', `konfirmasi ${a2} hasil=gagal puas=2`);
    await ok('ani', `konfirmasi ${a3} hasil=ok`);
    await ok('eko', `konfirmasi ${e1} hasil=ok puas=4`);
    t.clock.advance(60_000);
    const now = t.core.clock();
    const f = await digestFigures(t.core, now, { from, to: now });
    expect(f.satisfaction.all).toEqual({ average: 3.7, rated: { n: 3, of: 4 } });
    expect(f.satisfaction.perAgent).toEqual([
      { agent: 'console:ani', average: 3.5, rated: { n: 2, of: 3 } },
      { agent: 'console:eko', average: 4, rated: { n: 1, of: 1 } },
    ]);
    expect(f.satisfaction.perTeam).toEqual([
      { team: 'a', average: 3.5, rated: { n: 2, of: 3 } },
      { team: 'b', average: 4, rated: { n: 1, of: 1 } },
    ]);

    const full = await actionableDigest(t.core, now, { period: { from, to: now }, all: true, chart: false });
    const field = (label: string) => full.fields?.find((x) => x.label === label)?.value ?? '';
    expect(field(t.core.t('digest.satisfaction'))).toBe('rata-rata 3.7 dari 5 · dinilai 75% (3/4)');
    expect(field(t.core.t('digest.satisfactionPerAgent'))).toContain('dinilai 67% (2/3)');
    expect(field(t.core.t('digest.satisfactionPerTeam'))).toContain('tim b rata-rata 4.0 dari 5');
    const short = await actionableDigest(t.core, now, { period: { from, to: now }, chart: false });
    expect(short.fields?.map((x) => x.label)).toContain(t.core.t('digest.satisfaction'));
  });
});
