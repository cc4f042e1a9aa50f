import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCsv } from '../reports/csv-read.js';
import { pngFacts } from '../reports/png.js';
import { CITRA, type DiscordHarness, startDiscordHarness } from './harness.js';

/** Issue 13 on Discord: the chart and the export arrive as attachments of a DM. */
let h: DiscordHarness;
beforeAll(async () => {
  h = await startDiscordHarness({ env: { POSKO_REPORTS_DIR: mkdtempSync(join(tmpdir(), 'posko-discord-reports-')) } });
}, 60_000);
afterAll(() => h?.close());

const attachments = () => h.fake.calls.flatMap((c) => c.files ?? []);

describe('reports on Discord', () => {
  it('ringkasan: the chart is a PNG attachment of a direct message', async () => {
    await h.slash(CITRA, 'ringkasan');
    await h.deliver();
    const png = attachments().find((f) => f.filename?.endsWith('.png'));
    expect(png?.contentType).toBe('image/png');
    const facts = pngFacts(png!.data);
    expect(facts.width).toBeGreaterThanOrEqual(1000);
    expect(facts.inkShare).toBeGreaterThan(0.03);
  });

  it('ekspor: the CSV is an attachment with its BOM and header', async () => {
    const r = await h.slash(CITRA, 'ekspor', { dari: '2026-12-01', sampai: '2026-12-01' });
    expect(h.shown(h.privateReply(r.id))).toMatch(/Ekspor 0 tiket/);
    await h.deliver();
    const csv = attachments().find((f) => f.filename?.endsWith('.csv'));
    const text = csv!.data.toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(readCsv(text.slice(1))[0]?.[0]).toBe('nomor');
  });
});
