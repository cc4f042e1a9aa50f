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
  option?: string;
  fields?: { label: string; value: string }[];
  mentions?: string[];
}

const dataDir = mkdtempSync(path.join(tmpdir(), 'posko-tools-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const DAY = [
  '/tiket open service=indihome id=122123456789 name="Siti Rahma" contact=081234567890 complaint="internet mati"', // 1
  '/tiket buka layanan=internet id=4700123456 nama="Agus Salim" kontak=0215551234 keluhan="lambat"', // 2
  '/tiket buka layanan=indihome nama=Siti Rahma kontak=0812', // 3 incomplete, unquoted name
  '/tiket konfirmasi GGN-000001 hasil=ok hasil=gagal', // 4 repeated key
  '/tiket catat GGN-000001 redaman=-25 dB di ODP', // 5 k=v in free text
  '/tiket catat GGN-000001 dari=telkom sudah dicek', // 6 a real option still binds
  '/tiket cari 0812-3456-7890', // 7 phone, another format
  '/tiket search siti', // 8 name fragment, English alias
  '/tiket cari 4700123456', // 9 customer ID
  '/tiket hubungi GGN-000002 hasil=minta-dihubungi-lagi jam=23.00', // 10 pauses GGN-000002
  '/tiket list owner=team', // 11 English words for the key and its value
  '/tiket bantuan buka', // 12
  'as citra', // 13
  '/tiket peran @eko agent tim=a bahasa=en', // 14
  'as eko', // 15
  '/tiket help close', // 16
  '/tiket buka layanan=indihome', // 17 English reply for eko
  '/tiket tutup GGN-000001 code=X catatan pelanggan=puas', // 18 quoting hint: = in text
  '/tiket lihat GGN-000001 extra', // 19 no hint: no = anywhere
  'as ani', // 20
  '/tiket cari GGN-1', // 21 ticket number, Indonesian again
];

describe('the console: an agent’s daily tools (issue 13)', () => {
  let run: Awaited<ReturnType<typeof runConsoleScript<Line>>>;
  const at = (n: number) => run.lines.filter((l) => l.line === n);
  const reply = (n: number) => at(n).find((l) => l.audience === 'ephemeral') as Line;

  it('runs the day', async () => {
    run = await runConsoleScript<Line>(DAY, { POSKO_DATA_DIR: dataDir });
    expect(run.code).toBe(0);
    expect(reply(1).error).toBeNull();
    expect(reply(1).ticket).toBe('GGN-000001');
  });

  it('an incomplete buka names every missing or invalid key in one answer, with the quoting hint for the name', () => {
    const r = reply(3);
    expect(r.error).toBe('invalid_input');
    // "Rahma" is stray because nama was not quoted; id and keluhan are missing; 0812 is no number.
    expect(r.text).toMatch(/nama="/);
    expect(at(3)).toHaveLength(1);
  });

  it('a repeated key is refused naming it', () => {
    expect(reply(4)).toMatchObject({ error: 'invalid_input', option: 'hasil' });
    expect(reply(4).text).toContain('`hasil`');
  });

  it('catat keeps kunci=nilai in free text as text; dari=telkom still binds', () => {
    expect(reply(5).error).toBeNull();
    const thread5 = at(5).find((l) => l.audience === 'thread') as Line;
    expect(thread5.text).toContain('redaman=-25 dB di ODP');
    expect(reply(6).error).toBeNull();
    expect((at(6).find((l) => l.audience === 'thread') as Line).text).toMatch(/Telkom/);
  });

  it('one line per thread message, and people as @name everywhere in --json', () => {
    const thread = at(5).find((l) => l.audience === 'thread') as Line;
    expect(thread.text).not.toContain('<@');
    const card = at(1).find((l) => l.audience === 'channel') as Line;
    for (const f of card.fields ?? []) expect(f.value).not.toMatch(/<@/);
    for (const m of card.mentions ?? []) expect(m).toMatch(/^@/);
  });

  it('cari finds by phone in another format, name fragment, customer ID and ticket number — masked', () => {
    expect(reply(7).text).toContain('GGN-000001');
    expect(reply(7).text).not.toContain('GGN-000002');
    expect(reply(8).text).toContain('GGN-000001');
    expect(reply(8).text).toContain('Siti R.');
    expect(reply(8).text).not.toContain('Rahma');
    expect(reply(9).text).toContain('GGN-000002');
    expect(reply(9).text).not.toContain('4700123456');
    expect(reply(21).text).toContain('GGN-000001');
    for (const n of [7, 8, 9, 21]) expect(reply(n).text).not.toMatch(/081234567890|122123456789/);
  });

  it('daftar: least SLA time left first, a paused ticket frozen, line names not codes', () => {
    const lines = reply(11).text.split('\n');
    expect(lines[0]).toMatch(/hal\. 1\/1/);
    // GGN-000002 (Data & Internet, 8 h, paused) before GGN-000001 (IndiHome, 24 h running).
    expect(lines[1]).toMatch(/^GGN-000002 · Data & Internet · .*⏸/);
    expect(lines[2]).toMatch(/^GGN-000001 · IndiHome/);
  });

  it('bantuan buka explains keys and gives an example; help close answers in English for an English user', () => {
    expect(reply(12).text).toMatch(/layanan=.*\n[\s\S]*keluhan=[\s\S]*Contoh: \/tiket buka/);
    expect(reply(14).text).toContain('English');
    expect(reply(16).text).toMatch(/^\/tiket tutup/);
    expect(reply(16).text).toContain('Example:');
    expect(reply(17).text).toMatch(/entries need fixing/);
    expect(reply(21).text).toMatch(/tiket cocok/);
  });

  it('the quoting hint appears only when an = is the problem', () => {
    expect(reply(18).text).toMatch(/quotes/);
    expect(reply(19).error).toBe('invalid_input');
    expect(reply(19).text).not.toMatch(/quote/i);
  });
});
