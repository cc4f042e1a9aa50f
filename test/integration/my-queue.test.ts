import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerId, openLine, startTestCore, type TestCore } from '../helpers/core.js';

/**
 * Issue 16.2, DESIGN §8 `saya` (alias `mine`) on the console: own open tickets by SLA time left
 * (breached first, paused clocks after running ones, confirmed last), then callbacks, and for a
 * TL or SPV the escalations waiting on them; each line with its next step, the customer masked.
 */
let t: TestCore;
const HOUR = 3_600_000;
const n: Record<string, string> = {};

async function ok(user: string, line: string) {
  const out = await t.run(user, line);
  expect(out.error, `${line}: ${out.replies[0]?.text}`).toBeNull();
  return out.replies[0]?.text ?? '';
}
const internet = (sid: string) =>
  `buka layanan=internet id=${sid} nama="Agus Salim Pratama" kontak=081234567891 keluhan="lambat"`;
const number = (text: string) => /GGN-\d+/.exec(text)?.[0] ?? '';
/** The queue's lines in order, as the numbers they start with (after the bullet). */
const order = (text: string) => [...text.matchAll(/^• (GGN-\d+)/gm)].map((m) => m[1]);

beforeAll(async () => {
  t = await startTestCore();
  // t0: ani opens A (IndiHome, 24 h), X (internet, 8 h), C (to confirm), E (to call back), F (to Telkom).
  n.A = number(await ok('ani', openLine(customerId())));
  n.X = number(await ok('ani', internet(`47${String(process.pid).padStart(8, '0')}`)));
  n.C = number(await ok('ani', openLine(customerId())));
  n.E = number(await ok('ani', openLine(customerId())));
  n.F = number(await ok('ani', openLine(customerId())));
  t.clock.advance(HOUR);
  // t0+1h: B (internet, due t0+9h).
  n.B = number(await ok('ani', internet(`48${String(process.pid).padStart(8, '0')}`)));
  await ok('ani', `konfirmasi ${n.C} hasil=ok`);
  await ok('ani', `hubungi ${n.E} hasil=minta-dihubungi-lagi jam=14.00`);
  await ok('ani', `eskalasi ${n.F} ke=telkom ref=TK-123 perlu Telkom`);
  await ok('citra', `setujui ${n.F} ref=TK-123`);
  // Waiting on budi (TL of team a) and on citra (SPV).
  await ok('ani', `eskalasi ${n.B} ke=tl redaman tinggi`);
  await ok('ani', `eskalasi ${n.A} ke=spv gangguan massal`);
  n.D = number(await ok('budi', openLine(customerId())));
  // t0+10h: X (due t0+8h) and B (due t0+9h) are past their SLA.
  t.clock.advance(9 * HOUR);
}, 60_000);
afterAll(() => t?.close());

describe('saya: the caller’s queue (issue 16.2)', () => {
  it('an agent: breached first, then by time left, the paused clock after the running ones, confirmed last; callbacks after', async () => {
    const text = await ok('ani', 'saya');
    expect(text).toContain('Antrian saya (6)');
    expect(order(text)).toEqual([n.X, n.B, n.A, n.F, n.C, n.E]);
    const line = (k: string) => text.split('\n').find((l) => l.includes(n[k] as string)) ?? '';
    expect(line('X')).toMatch(/⚠ lewat 2 j 0 mnt → kabari pelanggan$/);
    expect(line('B')).toMatch(/tunggu persetujuan$/);
    expect(line('A')).toMatch(/sisa 14 j 0 mnt → tunggu persetujuan$/);
    expect(line('F')).toMatch(/dijeda.* → tunggu jawaban Telkom$/);
    expect(line('C')).toMatch(/· Siti R\. → tutup \(tawarkan bantuan lain\)$/);
    expect(line('E')).toMatch(/→ hubungi lagi .*14\.00 WIB$/);
    // Masked customer; no approvals for an agent.
    expect(text).toContain('Siti R.');
    expect(text).not.toContain('Rahma');
    expect(text).not.toContain('Agus Salim');
    expect(text).not.toContain('setujui/tolak');
  });

  it('the English alias, in English', async () => {
    await ok('citra', 'peran ani agent tim=a bahasa=en');
    const text = await ok('ani', 'mine');
    expect(text).toContain('My queue (6)');
    expect(text).toContain('close (offer further help)');
    await ok('citra', 'peran ani agent tim=a bahasa=auto');
  });

  it('a team leader: own tickets and the TL escalations of the team waiting on them', async () => {
    const text = await ok('budi', 'saya');
    expect(text).toContain('Menunggu keputusan saya (1)');
    expect(order(text)).toEqual([n.D, n.B]);
    const b = text.split('\n').find((l) => l.includes(n.B as string)) ?? '';
    expect(b).toMatch(/eskalasi ke Team Leader oleh <@console:ani>, 9 j 0 mnt → setujui\/tolak$/);
  });

  it('a supervisor: the SPV escalations, not the TL ones; a decision takes it off', async () => {
    const text = await ok('citra', 'saya');
    expect(order(text)).toEqual([n.A]);
    expect(text).toContain('setujui/tolak');
    await ok('citra', `setujui ${n.A}`);
    expect(await ok('citra', 'saya')).toContain('Antrian Anda kosong');
  });
});
