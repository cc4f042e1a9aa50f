import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCsv } from '../reports/csv-read.js';
import { hasColour, pngFacts } from '../reports/png.js';
import { CHANNEL, responseButtons, type SlackHarness, startSlackHarness } from './harness.js';

/**
 * Issue 13 on Slack: the digest's at-risk list links each ticket to its thread, its chart and an
 * export arrive as files in the supervisor's DM through files.uploadV2's three steps.
 */
const AGENT = 'UAGENT1';
const TL = 'UTLEAD1';
const SPV = 'USPV'; // POSKO_ADMINS=slack:USPV
const OPEN =
  'buka layanan=indihome id=122123456789 nama="Siti Rahmawati" kontak=081234567890 keluhan="internet mati sejak pagi"';

let h: SlackHarness;
let number = '';
let cardTs = '';

beforeAll(async () => {
  h = await startSlackHarness({ env: { POSKO_REPORTS_DIR: mkdtempSync(join(tmpdir(), 'posko-slack-reports-')) } });
  await h.command(SPV, `peran <@${AGENT}|ani> agent tim=a`);
  await h.command(SPV, `peran <@${TL}|budi> tl tim=a`);
  const opened = await h.command(AGENT, OPEN);
  number = /GGN-\d{6,}/.exec(String(opened.responses[0]?.body.text))?.[0] ?? '';
  await h.deliver();
  cardTs = String(h.api.ok('chat.postMessage').find((c) => c.args.channel === CHANNEL)?.result?.ts);
  await h.command(AGENT, `eskalasi ${number} ke=tl redaman tinggi`);
  await h.deliver();
}, 60_000);
afterAll(async () => {
  await h?.close();
});

/** The files uploadV2 completed into a channel, with their bytes. */
const uploadedTo = (channel: string) => [...h.api.files.values()].filter((f) => f.channel === channel && f.data);

describe('reports on Slack', () => {
  it('ringkasan: each ticket at risk links to its thread, with a "Lihat semua" button', async () => {
    const r = await h.command(SPV, 'ringkasan');
    const body = JSON.stringify(r.responses[0]?.body);
    const link = `https://slack.com/archives/${CHANNEL}/p${cardTs.replace('.', '')}`;
    expect(body).toContain(`<${link}|${number}>`);
    expect(body).toContain('menunggu persetujuan');
    // The TL who answers for it is named, not pinged, in the supervisor's ephemeral digest.
    expect(body).toContain('(tim a) 1');
    const [button] = responseButtons(r.responses[0]!, 'all');
    expect(button?.value).toBeDefined();
  });

  it('ringkasan: the chart arrives in the DM as an uploaded PNG (getUploadURLExternal, upload, complete)', async () => {
    h.api.reset();
    await h.command(SPV, 'ringkasan');
    await h.deliver();
    const dm = `D${SPV}`;
    const methods = h.api.calls.map((c) => c.method);
    expect(methods).toEqual(
      expect.arrayContaining(['conversations.open', 'files.getUploadURLExternal', 'files.completeUploadExternal']),
    );
    const [chart] = uploadedTo(dm);
    expect(chart?.filename).toMatch(/^ringkasan-\d{8}-\d{4}\.png$/);
    expect(chart?.length).toBe(chart?.data?.length);
    const png = pngFacts(chart!.data!);
    expect(png.width).toBeGreaterThanOrEqual(1000);
    expect(png.inkShare).toBeGreaterThan(0.03);
    expect(hasColour(png.colours, '#2e9d5b')).toBe(true);
  });

  it('ekspor: the CSV arrives in the DM, masked, with a BOM; an agent is refused', async () => {
    h.api.reset();
    const r = await h.command(SPV, 'ekspor dari=2026-12-01 sampai=2026-12-01');
    expect(String(r.responses[0]?.body.text)).toMatch(/^Ekspor 1 tiket/);
    await h.deliver();
    const [csv] = uploadedTo(`D${SPV}`);
    expect(csv?.filename).toMatch(/^tiket-2026-12-01_2026-12-01-\d{8}-\d{4}\.csv$/);
    const text = csv!.data!.toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const [header, row] = readCsv(text.slice(1));
    expect(row?.[0]).toBe(number);
    expect(row?.[header!.indexOf('kontak_pelanggan')]).toBe("'+62812****7890");
    expect(text).not.toContain('122123456789');

    const refused = await h.command(AGENT, 'ekspor dari=2026-12-01 sampai=2026-12-01');
    expect(String(refused.responses[0]?.body.text)).toContain('ekspor');
    expect(JSON.stringify(refused.responses[0]?.body)).not.toContain('.csv');
  });
});
