import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../../src/db/schema.js';
import type { OutboxMessage } from '../../src/outbox/types.js';
import { SHORT_LIST } from '../../src/reports/digest-view.js';
import { customerId, openLine, startTestCore, type TestCore } from '../helpers/core.js';
import { hasColour, pngFacts } from './png.js';

/**
 * Issue 13, supervisors: the digest lists what needs action now. Every ticket is made by posko's
 * own commands on the console. Shift 15:00–16:00 WIB (08:00–09:00Z, Sat 28 Nov 2026); the one
 * before, 07:00–15:00 WIB. Updates are due every 120 minutes; global SLA 6 h, IndiHome 24 h.
 */
let t: TestCore;
const at = (hhmm: string) => t.clock.set(new Date(`2026-11-28T${hhmm}:00Z`));
const tickets: Record<string, string> = {};
async function ok(user: string, line: string) {
  const out = await t.run(user, line);
  expect(out.error, `${line}: ${out.replies[0]?.text}`).toBeNull();
  return out.replies[0]?.ticket as string;
}
const globalLine = () =>
  `buka layanan=global id=GLB-${customerId().slice(-6)} nama="Dewi Lestari" kontak=081234567890 keluhan="link down"`;

beforeAll(async () => {
  t = await startTestCore({ POSKO_REPORTS_DIR: mkdtempSync(join(tmpdir(), 'posko-reports-')) });
  at('02:00');
  await ok('citra', 'peran dodi agent tim=b');
  await ok('citra', 'peran eko tl tim=b');
  tickets.breached = await ok('ani', globalLine()); // due 08:00
  tickets.pausedLow = await ok('ani', globalLine()); // due 08:00; paused at 06:45 with 1 h 15 left
  at('03:00');
  tickets.approval = await ok('ani', openLine(customerId())); // due 03:00 tomorrow
  await ok('ani', `eskalasi ${tickets.approval} ke=tl redaman tinggi`);
  tickets.closedBefore = await ok('ani', openLine(customerId()));
  await ok('ani', `kabari ${tickets.closedBefore} teknisi dijadwalkan`);
  tickets.closedNow = await ok('budi', openLine(customerId()));
  at('04:00');
  tickets.low = await ok('dodi', globalLine()); // team b, due 10:00
  await ok('ani', `konfirmasi ${tickets.closedBefore} hasil=ok`);
  await ok('ani', `tutup ${tickets.closedBefore} tawaran=ya kode=FIXED-ODP`); // previous shift, informed on time
  at('06:45');
  await ok('ani', `hubungi ${tickets.pausedLow} hasil=minta-dihubungi-lagi jam=16.00 sedang rapat`);
  at('08:30');
  await ok('budi', `konfirmasi ${tickets.closedNow} hasil=ok`); // 5.5 h without a contact
  await ok('budi', `tutup ${tickets.closedNow} tawaran=ya kode=FIXED-ODP`);
  at('09:00');
}, 120_000);
afterAll(() => t?.close());

const field = (fields: { label: string; value: string }[] | undefined, label: RegExp) =>
  fields?.find((f) => label.test(f.label))?.value ?? '';

describe('ringkasan: the digest to act on', () => {
  it('A7 A8 P5.10 lists the tickets at risk by SLA time left, paused clocks frozen, each with why', async () => {
    const out = await t.run('citra', 'ringkasan');
    expect(out.error).toBeNull();
    const [reply] = out.replies;
    const lines = field(reply?.fields, /^⚠ Perlu tindakan \(4\)$/).split('\n');
    expect(lines.map((l) => /GGN-\d+/.exec(l)?.[0])).toEqual([
      tickets.breached,
      tickets.low,
      tickets.pausedLow,
      tickets.approval,
    ]);
    expect(lines[0]).toBe(`🔴 ${tickets.breached} lewat 1 j 0 mnt · <@console:ani> · belum dikabari`);
    expect(lines[1]).toBe(`🟠 ${tickets.low} sisa 1 j 0 mnt · <@console:dodi> · belum dikabari`);
    // Paused at 06:45 with 1 h 15 left: still 1 h 15 at 09:00, and a paused ticket is not "silent".
    expect(lines[2]).toBe(`🟠 ${tickets.pausedLow} sisa 1 j 15 mnt ⏸ dijeda · <@console:ani>`);
    expect(lines[3]).toBe(
      `⏳ ${tickets.approval} sisa 18 j 0 mnt · <@console:ani> · menunggu persetujuan · belum dikabari`,
    );
  });

  it('groups them per team leader and per agent', async () => {
    const [reply] = (await t.run('citra', 'ringkasan')).replies;
    expect(field(reply?.fields, /per TL/)).toBe('<@console:budi> (tim a) 3 · <@console:eko> (tim b) 1');
    expect(field(reply?.fields, /per agent/)).toBe('<@console:ani> 3 · <@console:dodi> 1');
  });

  it('A7 A8 puts the previous shift beside each KPI', async () => {
    const [reply] = (await t.run('citra', 'ringkasan')).replies;
    expect(field(reply?.fields, /A8/)).toBe('0% (0/1) · sebelumnya 100%');
    expect(field(reply?.fields, /A7/)).toBe('100% (1/1) · sebelumnya 100%');
  });

  it('fits one phone screen, then "lihat semua" gives the whole list grouped by team and agent', async () => {
    const [short] = (await t.run('citra', 'ringkasan')).replies;
    const screen = [
      ...(short?.text.split('\n') ?? []),
      ...(short?.fields ?? []).flatMap((f) => [f.label, ...f.value.split('\n')]),
    ];
    expect(screen.length).toBeLessThanOrEqual(2 + 2 * (SHORT_LIST + 4) + 2);
    expect(short?.buttons?.map((b) => b.command)).toEqual(['ringkasan semua=ya']);
    const [all] = (await t.run('citra', 'ringkasan semua=ya')).replies;
    const teamA = field(all?.fields, /Perlu tindakan.*tim a/);
    expect(teamA.split('\n')).toEqual([
      '<@console:ani>:',
      expect.stringContaining(tickets.breached as string),
      expect.stringContaining(tickets.pausedLow as string),
      expect.stringContaining(tickets.approval as string),
    ]);
    expect(field(all?.fields, /Perlu tindakan.*tim b <@console:eko>/)).toContain(tickets.low);
    // The full view keeps every count of the digest.
    expect(field(all?.fields, /Eskalasi menunggu/)).toBe('1');
    expect(all?.buttons).toEqual([]);
  });

  it('agents may not ask for it', async () => {
    expect((await t.run('ani', 'ringkasan')).error).toBe('forbidden');
  });

  it('sends the chart by direct message: a PNG of the right size with coloured bars', async () => {
    await t.run('citra', 'ringkasan');
    const rows = await t.core.db.select().from(outbox);
    const dm = rows
      .map((r) => r.payload as unknown as OutboxMessage)
      .filter((m) => m.kind === 'post' && m.dmTo === 'console:citra' && m.reply.files?.length)
      .at(-1);
    const file = dm?.reply.files?.[0];
    expect(file?.mime).toBe('image/png');
    const png = pngFacts(file?.path as string);
    expect(png.width).toBeGreaterThanOrEqual(1000);
    expect(png.height).toBeGreaterThanOrEqual(600);
    expect(png.inkShare).toBeGreaterThan(0.03);
    // The bars: on-track green, <25 % orange, breached red (src/reports/chart.ts).
    for (const colour of ['#2e9d5b', '#f0a020', '#d64541']) expect(hasColour(png.colours, colour)).toBe(true);
  });
});

describe('the chart over a whole day', () => {
  it('draws one bar group per hour and the KPI bars per team; the README sample is this picture', async () => {
    const { chartData } = await import('../../src/reports/chart-data.js');
    const { digestChart } = await import('../../src/reports/chart.js');
    const period = { from: new Date('2026-11-28T00:00:00Z'), to: t.clock.now() };
    const data = await chartData(t.core, period);
    expect(data.hours.map((h) => h.at.getUTCHours())).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // At 08:00: the 02:00 global ticket is due (breached); the paused one froze with 1 h 15 of 6 h
    // left (low); dodi's still has 2 h of 6, and the two IndiHome ones most of their 24 h (ok).
    expect(data.hours[8]?.counts).toEqual({ ok: 3, low: 1, breached: 1 });
    expect(data.teams.map((x) => x.team)).toEqual(['a']);
    const file = await digestChart(t.core, data);
    const png = pngFacts(file.path);
    expect(png.inkShare).toBeGreaterThan(0.05);
    if (process.env.POSKO_CHART_SAMPLE)
      (await import('node:fs')).copyFileSync(file.path, process.env.POSKO_CHART_SAMPLE);
  });
});

describe('on the console', () => {
  it('prints the list framed, one ticket a line', async () => {
    const { renderPlain } = await import('../../src/platforms/console/render.js');
    const [reply] = (await t.run('citra', 'ringkasan')).replies;
    const shown = renderPlain(reply!, t.core.t);
    if (process.env.POSKO_PRINT_DIGEST) console.log(shown);
    expect(shown).toContain(
      `  │ ⚠ Perlu tindakan (4): 🔴 ${tickets.breached} lewat 1 j 0 mnt · @ani · belum dikabari\n  │   🟠 ${tickets.low}`,
    );
    expect(shown).toContain('  [Lihat semua] → /tiket ringkasan semua=ya');
  });
});

describe('the digest job', () => {
  it('sends each supervisor and the digest channel the list and the chart', async () => {
    const { digest } = await import('../../src/jobs/digest.js');
    const core = { ...t.core, config: { ...t.core.config, POSKO_DIGEST_CHANNEL: 'console:ops' } };
    await digest(core, t.clock.now());
    const rows = (await t.core.db.select().from(outbox)).filter((r) => r.dedupeKey.startsWith('digest:'));
    expect(rows.map((r) => r.channel)).toEqual(['dm:console:citra', 'ops']);
    for (const r of rows) {
      const message = r.payload as unknown as OutboxMessage;
      expect(message.kind === 'post' && message.reply.files?.map((f) => f.mime)).toEqual(['image/png']);
      expect(JSON.stringify(message.reply.fields)).toContain(tickets.breached);
    }
  });
});
