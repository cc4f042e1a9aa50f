import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { SHIPPED_HOLIDAYS } from '../../src/domain/holidays.js';

const load = (env: Record<string, string>) => loadConfig(env as NodeJS.ProcessEnv, '');
const refusal = (env: Record<string, string>) => {
  try {
    load(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('config was accepted');
};
const dir = mkdtempSync(join(tmpdir(), 'posko-holidays-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('A7 configuration: SLA hours, working hours, holidays', () => {
  it('defaults: 08–21 working hours, the shipped national holidays, no SLA override', () => {
    const c = load({});
    expect(c.POSKO_WORKING_HOURS).toEqual({ startMinute: 480, endMinute: 1260 });
    expect(c.POSKO_HOLIDAYS).toBe(SHIPPED_HOLIDAYS);
    expect(c.POSKO_SLA_HOURS).toBeUndefined();
  });

  it('reads working hours in any accepted form', () => {
    expect(load({ POSKO_WORKING_HOURS: '07.30-20.00' }).POSKO_WORKING_HOURS).toEqual({
      startMinute: 450,
      endMinute: 1200,
    });
  });

  it('a holiday file replaces the shipped list', () => {
    const path = file('own.txt', '# kantor\n2026-12-31 Tutup buku\n');
    expect([...load({ POSKO_HOLIDAYS: path }).POSKO_HOLIDAYS]).toEqual([['2026-12-31', 'Tutup buku']]);
  });

  it.each([
    ['POSKO_SLA_HOURS', 'indihome=12,tv=3', /^POSKO_SLA_HOURS: "tv=3" is not/],
    ['POSKO_SLA_HOURS', 'internet/violet=0', /"internet\/violet=0"/],
    ['POSKO_WORKING_HOURS', '21-08', /^POSKO_WORKING_HOURS: expected <start>-<end>.*\(got "21-08"\)$/],
    ['POSKO_HOLIDAYS', join(dir, 'missing.txt'), /^POSKO_HOLIDAYS: cannot read the holiday file \(ENOENT\)/],
    [
      'POSKO_HOLIDAYS',
      file('bad.txt', '2026-01-01 Tahun Baru\n\n2026-02-30 Salah\n'),
      /^POSKO_HOLIDAYS: line 3 "2026-02-30 Salah"/,
    ],
  ])('a wrong %s (%s) stops start with one line naming it', (name, value, message) => {
    const text = refusal({ [name]: value });
    expect(text).toMatch(message);
    expect(text).not.toContain('\n');
  });

  it('a valid SLA override stays as given for the app to apply', () => {
    expect(load({ POSKO_SLA_HOURS: 'indihome=12,global/violet=2' }).POSKO_SLA_HOURS).toBe(
      'indihome=12,global/violet=2',
    );
  });
});
