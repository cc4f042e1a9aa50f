/**
 * Issue 12 defect 7: an error message repeats what was typed so the person sees their mistake,
 * but never more than ECHO_MAX characters of it (`lihat <100k digits>` used to echo them all).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ECHO_MAX } from '../../src/command/dispatch.js';
import { startTestCore, type TestCore } from '../helpers/core.js';

let t: TestCore;
beforeAll(async () => {
  t = await startTestCore();
});
afterAll(() => t?.close());

const HUGE = 100_000;
const digits = '7'.repeat(HUGE);
const letters = 'x'.repeat(HUGE);

describe('issue 12 defect 7: echoed values are capped', () => {
  it.each([
    ['a bad ticket number (lihat <100k digits>)', `lihat ${digits}`, '7'],
    ['an unknown command of 100k characters', letters, 'x'],
    ['a bad option value (tim=<100k>)', `peran @dodi agent tim=${'y'.repeat(HUGE)}`, 'y'],
    ['a bad option value (kode=<100k>)', `tutup GGN-000001 tawaran=ya kode=${'Z'.repeat(HUGE)}`, 'Z'],
    ['an unknown option key of 100k characters', `lihat GGN-000001 ${letters}=1`, 'x'],
  ])('defect 7: %s is echoed as at most 60 characters and "…"', async (_label, line, char) => {
    // citra is a supervisor: every command is hers to try, so the value is what gets refused.
    const out = await t.run('citra', line);
    expect(out.error).toBe('invalid_input');
    const reply = out.replies[0]!;
    const longest = Math.max(...(reply.text.match(new RegExp(`${char}+`, 'g')) ?? ['']).map((m) => m.length));
    expect(longest).toBe(ECHO_MAX);
    expect(reply.text).toContain(`${char.repeat(ECHO_MAX)}…`);
    expect(reply.text.length).toBeLessThan(600);
    expect((reply.option ?? '').length).toBeLessThanOrEqual(ECHO_MAX + 1);
  });

  it('defect 7: a short wrong value is still echoed whole', async () => {
    const out = await t.run('ani', 'lihat ABC-12');
    expect(out.replies[0]!.text).toContain('"ABC-12"');
  });
});
