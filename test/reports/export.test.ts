import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, outbox } from '../../src/db/schema.js';
import type { OutboxMessage } from '../../src/outbox/types.js';
import { csvRow } from '../../src/reports/csv.js';
import { EXPORT_HEADER } from '../../src/reports/export.js';
import { customerId, startTestCore, type TestCore } from '../helpers/core.js';
import { readCsv } from './csv-read.js';

/** Issue 13: `ekspor` — TL for their team, SPV for all, masked unless an SPV asks penuh=ya; audited. */
let t: TestCore;
const at = (iso: string) => t.clock.set(new Date(iso));
const ids: string[] = [];
async function open(user: string, name: string, contact: string) {
  const id = customerId();
  ids.push(id);
  const out = await t.run(
    user,
    `buka layanan=indihome id=${id} nama="${name}" kontak=${contact} keluhan="internet mati"`,
  );
  expect(out.error, out.replies[0]?.text).toBeNull();
  return out.replies[0]?.ticket as string;
}
/** The CSV the last export sent `user` by DM, as read from the file posko wrote. */
async function lastExport(user: string) {
  const rows = await t.core.db.select().from(outbox);
  const file = rows
    .map((r) => r.payload as unknown as OutboxMessage)
    .filter((m) => m.kind === 'post' && m.dmTo === `console:${user}`)
    .flatMap((m) => m.reply.files ?? [])
    .at(-1);
  if (!file) throw new Error('no export file was sent');
  return { file, raw: readFileSync(file.path, 'utf8') };
}

beforeAll(async () => {
  t = await startTestCore({ POSKO_REPORTS_DIR: mkdtempSync(join(tmpdir(), 'posko-export-')) });
  await t.run('citra', 'peran dodi agent tim=b');
  await t.run('citra', 'peran eko tl tim=b');
  at('2026-11-30T16:50:00Z'); // 23:50 WIB on 30 Nov: before the range
  await open('ani', 'Rudi Hartono', '081111111111');
  at('2026-11-30T17:10:00Z'); // 00:10 WIB on 1 Dec: first in range
  await open('ani', 'Sri Ayu Dewi', '081234567890');
  at('2026-12-02T03:00:00Z');
  await open('dodi', 'Bambang Sutrisno', '081298765432');
  at('2026-12-07T16:40:00Z'); // 23:40 WIB on 7 Dec: last in range
  await open('ani', 'Joko Susilo', '085600001111');
  at('2026-12-07T17:05:00Z'); // 00:05 WIB on 8 Dec: after the range
  await open('ani', 'Tono Wijaya', '085600002222');
  at('2026-12-08T02:00:00Z');
}, 120_000);
afterAll(() => t?.close());

describe('ekspor', () => {
  it('SPV: every team, days in POSKO_TIMEZONE, masked, UTF-8 with BOM, RFC 4180 rows', async () => {
    const out = await t.run('citra', 'ekspor dari=2026-12-01 sampai=2026-12-07');
    expect(out.error, out.replies[0]?.text).toBeNull();
    expect(out.replies[0]?.text).toMatch(/^Ekspor 3 tiket .*semua tim, data pelanggan disamarkan/);
    const { file, raw } = await lastExport('citra');
    expect(file.mime).toBe('text/csv');
    expect(statSync(file.path).mode & 0o077).toBe(0); // posko's own: no group or other access
    expect(raw.startsWith('\uFEFFnomor,layanan,')).toBe(true);
    const [header, ...rows] = readCsv(raw.slice(1));
    expect(header).toEqual([...EXPORT_HEADER]);
    expect(rows.map((r) => r[0])).toEqual(['GGN-000002', 'GGN-000003', 'GGN-000004']);
    const row = Object.fromEntries(header!.map((h, i) => [h, rows[0]![i]]));
    expect(row).toMatchObject({
      layanan: 'indihome',
      tim: 'a',
      status: 'open',
      penanggung_jawab: 'console:ani',
      dibuka: '2026-12-01 00:10',
      batas_sla: '2026-12-02 00:10',
      nama_pelanggan: 'Sri A. D.',
      id_pelanggan: `********${ids[1]!.slice(-4)}`,
      // A leading + would be read as a formula by spreadsheet apps.
      kontak_pelanggan: "'+62812****7890",
    });
    expect(rows[2]![header!.indexOf('nama_pelanggan')]).toBe('Joko S.');
    expect(raw).not.toContain(ids[1]);
  });

  it('TL: their own team only; another team or the full data is refused', async () => {
    const own = await t.run('eko', 'ekspor dari=2026-12-01 sampai=2026-12-07');
    expect(own.error).toBeNull();
    const { raw } = await lastExport('eko');
    expect(
      readCsv(raw.slice(1))
        .slice(1)
        .map((r) => [r[0], r[3]]),
    ).toEqual([['GGN-000003', 'b']]);
    expect((await t.run('budi', 'ekspor dari=2026-12-01 sampai=2026-12-07 tim=b')).error).toBe('forbidden');
    expect((await t.run('budi', 'ekspor dari=2026-12-01 sampai=2026-12-07 penuh=ya')).error).toBe('forbidden');
  });

  it('agents may not export', async () => {
    const out = await t.run('ani', 'ekspor dari=2026-12-01 sampai=2026-12-07');
    expect(out.error).toBe('forbidden');
  });

  it('SPV penuh=ya: the full values, and every export is audited as data_exported', async () => {
    const before = await t.core.db.select().from(auditLog);
    const out = await t.run('citra', 'ekspor dari=2026-12-01 sampai=2026-12-07 tim=a penuh=ya');
    expect(out.error).toBeNull();
    const { raw, file } = await lastExport('citra');
    const rows = readCsv(raw.slice(1));
    const name = rows[0]!.indexOf('nama_pelanggan');
    expect(rows.slice(1).map((r) => [r[name], r[name + 1], r[name + 2]])).toEqual([
      ['Sri Ayu Dewi', ids[1], "'+6281234567890"],
      ['Joko Susilo', ids[3], "'+6285600001111"],
    ]);
    const audit = await t.core.db.select().from(auditLog).where(eq(auditLog.type, 'data_exported'));
    expect(audit.length).toBe(before.length + 1);
    expect(audit.at(-1)).toMatchObject({
      actor: 'console:citra',
      payload: { from: '2026-12-01', to: '2026-12-07', team: 'a', full: true, rows: 2, file: file.name },
    });
    // The masked exports before were audited too, as not full.
    expect(before.map((a) => (a.payload as { full: boolean }).full)).toEqual([false, false]);
  });

  it('names the bad option: a date that is not one, a range backwards or too long', async () => {
    const bad = await t.run('citra', 'ekspor dari=2026-02-30 sampai=2026-03-01');
    expect([bad.error, bad.replies[0]?.option]).toEqual(['invalid_input', 'dari']);
    const backwards = await t.run('citra', 'ekspor dari=2026-12-07 sampai=2026-12-01');
    expect([backwards.error, backwards.replies[0]?.option]).toEqual(['invalid_input', 'sampai']);
    const long = await t.run('citra', 'ekspor dari=2026-01-01 sampai=2026-12-31');
    expect([long.error, long.replies[0]?.option]).toEqual(['invalid_input', 'sampai']);
    expect((await t.run('citra', 'ekspor sampai=2026-12-07')).error).toBe('invalid_input');
  });
});

describe('CSV fields (RFC 4180)', () => {
  it('quotes a comma, a quote and a line break, and reads back the same', () => {
    const cells = ['a,b', 'say "hi"', 'two\nlines', 'crlf\r\nend', 'plain', 7, null];
    const line = csvRow(cells);
    expect(line).toBe('"a,b","say ""hi""","two\nlines","crlf\r\nend",plain,7,\r\n');
    expect(readCsv(line)).toEqual([['a,b', 'say "hi"', 'two\nlines', 'crlf\r\nend', 'plain', '7', '']]);
  });

  it('a text cell that a spreadsheet would run as a formula is kept as text', () => {
    const line = csvRow(['=HYPERLINK("x")', '+62812****7890', '-1', '@sum', 'Sri'], new Set([0, 1, 3, 4]));
    expect(readCsv(line)).toEqual([['\'=HYPERLINK("x")', "'+62812****7890", '-1', "'@sum", 'Sri']]);
  });
});
