import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runConsoleScript } from '../helpers/posko-process.js';

interface Line {
  audience: 'ephemeral' | 'channel' | 'thread';
  ticket: string | null;
  error: string | null;
  text: string;
  line: number | null;
  checklist?: { clause: string; state: string }[];
  history?: string[];
  fields?: { label: string; value: string }[];
}

const dataDir = mkdtempSync(path.join(tmpdir(), 'posko-e2e-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** The real `npx posko start --json` process on the default embedded database, fed on stdin. */
const posko = (script: string[], env: Record<string, string> = {}) =>
  runConsoleScript<Line>(script, { POSKO_DATA_DIR: dataDir, ...env });

const OPEN =
  'buka layanan=indihome id=122123456789 nama="Siti Rahma" kontak=081234567890 keluhan="internet mati sejak pagi"';
const DAY = [
  `/tiket ${OPEN}`, // 1
  `/tiket ${OPEN.replace('internet mati sejak pagi', 'masih mati')}`, // 2
  '/tiket buka layanan=indihome id=122123456780 nama="Budi" kontak=0812 keluhan="mati"', // 3 bad phone
  '/tiket buka layanan=indihome id=122123456780 kontak=081234567890 keluhan="mati"', // 4 missing name
  '/tiket buka layanan=tv id=122123456780 nama="Budi" kontak=081234567890 keluhan="mati"', // 5 unknown service
  '/tiket eskalasi GGN-000001 ke=tl redaman tinggi di ODP', // 6
  '/tiket setujui GGN-000001', // 7 requester
  'as budi', // 8
  '/tiket setujui GGN-000001', // 9
  '/tiket setujui GGN-000001', // 10 again
  'as ani', // 11
  '/tiket tutup GGN-000001 tawaran=ya', // 12 before confirmation
  '/tiket konfirmasi GGN-000001 hasil=ok pelanggan sudah bisa browsing', // 13
  '/tiket tutup GGN-000001', // 14 no offer
  '/tiket tutup GGN-000001 tawaran=ya', // 15
  '/tiket lihat GGN-000001', // 16
  '/tiket peran ani spv', // 17
];

describe('the console: a scripted agent day (⚓ DESIGN §4)', () => {
  let first: Awaited<ReturnType<typeof posko>>;

  it('runs the whole SOP lifecycle', async () => {
    first = await posko(DAY);
    expect(first.code).toBe(0);
    const answer = (n: number) => first.lines.filter((l) => l.line === n);
    const reply = (n: number) => answer(n).find((l) => l.audience === 'ephemeral') as Line;

    // Every line is one JSON object with the ⚓ fields.
    for (const l of first.lines)
      expect(Object.keys(l)).toEqual(expect.arrayContaining(['audience', 'ticket', 'error', 'text', 'line']));

    // P5.2–P5.4: opened, card in the channel, customer masked there.
    expect(reply(1)).toMatchObject({ ticket: 'GGN-000001', error: null });
    const card = answer(1).find((l) => l.audience === 'channel') as Line;
    expect(card.ticket).toBe('GGN-000001');
    expect(JSON.stringify(card)).not.toContain('081234567890');
    expect(JSON.stringify(card)).not.toContain('+6281234567890');
    expect(JSON.stringify(card)).not.toContain('122123456789');

    // P5.3: same number, repeat contact recorded and posted in the thread.
    expect(reply(2)).toMatchObject({ ticket: 'GGN-000001', error: null });
    expect(answer(2).some((l) => l.audience === 'thread' && l.ticket === 'GGN-000001')).toBe(true);

    // P5.2: bad phone, missing name, unknown service: invalid_input naming the option.
    expect(reply(3)).toMatchObject({ error: 'invalid_input' });
    expect(reply(3).text).toContain('kontak');
    expect(reply(4)).toMatchObject({ error: 'invalid_input' });
    expect(reply(4).text).toContain('nama');
    expect(reply(5)).toMatchObject({ error: 'invalid_input' });
    expect(reply(5).text).toContain('layanan');
    for (const n of [3, 4, 5]) expect(answer(n)).toHaveLength(1);

    // P5.10: request in the thread; requester refused; TL approves; again is a conflict.
    expect(reply(6).error).toBeNull();
    expect(answer(6).some((l) => l.audience === 'thread')).toBe(true);
    expect(reply(7).error).toBe('forbidden');
    expect(answer(7)).toHaveLength(1);
    expect(reply(9).error).toBeNull();
    expect(reply(10).error).toBe('conflict');

    // P5.11 then P5.7 before P5.12.
    expect(reply(12).error).toBe('conflict');
    expect(reply(12).text).toContain('konfirmasi');
    expect(reply(13).error).toBeNull();
    expect(reply(14).error).toBe('conflict');
    expect(reply(14).text).toContain('Apakah ada hal lain yang dapat kami bantu');
    expect(reply(15)).toMatchObject({ error: null, ticket: 'GGN-000001' });

    // A1: the whole checklist and history.
    const view = reply(16);
    expect(Object.fromEntries((view.checklist ?? []).map((c) => [c.clause, c.state]))).toMatchObject({
      'P5.2': 'done',
      'P5.3': 'done',
      'P5.10': 'done',
      'P5.11': 'done',
      'P5.7': 'done',
      'P5.12': 'done',
    });
    expect(view.history?.length).toBe(6);

    expect(reply(17).error).toBe('forbidden');
  });

  it('keeps the data across a restart on the default embedded database', async () => {
    const again = await posko([
      '/tiket lihat GGN-000001',
      `/tiket ${OPEN.replace('id=122123456789', 'id=122123456700')}`,
    ]);
    expect(again.code).toBe(0);
    const view = again.lines.find((l) => l.line === 1);
    expect(view).toMatchObject({ ticket: 'GGN-000001', error: null });
    expect(view?.fields?.find((f) => f.label === 'Status')?.value).toContain('Ditutup');
    // The demo roster is not seeded twice, and numbering continues.
    expect(again.lines.some((l) => l.text.includes('Roster demo'))).toBe(false);
    expect(again.lines.find((l) => l.line === 2 && l.audience === 'ephemeral')?.ticket).toBe('GGN-000002');
  });

  it('quitting right after `buka` waits for the mock MONITA link: no warning, and the ticket has its fault id', async () => {
    const opened = await posko([`/tiket ${OPEN.replace('id=122123456789', 'id=122123456711')}`, 'keluar']);
    expect(opened.code).toBe(0);
    expect(opened.stderr).not.toMatch(/MONITA link failed/);
    const number = opened.lines.find((l) => l.line === 1 && l.audience === 'ephemeral')?.ticket;
    const again = await posko([`/tiket lihat ${number}`]);
    const view = again.lines.find((l) => l.line === 1);
    expect(view?.fields?.find((f) => f.label === 'MONITA')?.value).toMatch(/^IN\d+/);
  });

  it('a wrong setting stops start with one line naming the variable', async () => {
    const bad = await posko(['/tiket bantuan'], { POSKO_LOCALE: 'fr' });
    expect(bad.code).toBe(2);
    expect(bad.lines).toEqual([]);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toContain('POSKO_LOCALE');
  });
});
