import { describe, expect, it } from 'vitest';
import { areaZone, parseZone, ZONES, zoneOf } from '../../src/domain/customer-zone.js';
import { DomainError } from '../../src/domain/errors.js';
import { normaliseIndonesianPhone } from '../../src/domain/phone.js';

/** A fixed-line number in the area, as posko stores it (E.164 through the same normaliser as `kontak=`). */
const fixedLine = (areaCode: string) => {
  const e164 = normaliseIndonesianPhone(`${areaCode}${areaCode.length === 3 ? '55512345' : '5551234'}`);
  if (!e164) throw new Error(`test number in ${areaCode} is not valid`);
  return e164;
};

describe('customer time zone from the contact number (P5.9 reminders in local time)', () => {
  it.each([
    ['021', 'Jakarta', 'WIB'],
    ['022', 'Bandung', 'WIB'],
    ['024', 'Semarang', 'WIB'],
    ['0274', 'Yogyakarta', 'WIB'],
    ['031', 'Surabaya', 'WIB'],
    ['0341', 'Malang', 'WIB'],
    ['0361', 'Denpasar', 'WITA'],
    ['0370', 'Mataram', 'WITA'],
    ['0380', 'Kupang', 'WITA'],
    ['0401', 'Kendari', 'WITA'],
    ['0411', 'Makassar', 'WITA'],
    ['0431', 'Manado', 'WITA'],
    ['0451', 'Palu', 'WITA'],
    ['0511', 'Banjarmasin (Kalsel)', 'WITA'],
    ['0513', 'Muara Teweh (Kalteng)', 'WIB'],
    ['0527', 'Amuntai (Kalsel)', 'WITA'],
    ['0534', 'Ketapang (Kalbar)', 'WIB'],
    ['0536', 'Palangkaraya (Kalteng)', 'WIB'],
    ['0541', 'Samarinda', 'WITA'],
    ['0542', 'Balikpapan', 'WITA'],
    ['0551', 'Tarakan (Kaltara)', 'WITA'],
    ['0561', 'Pontianak', 'WIB'],
    ['061', 'Medan', 'WIB'],
    ['0651', 'Banda Aceh', 'WIB'],
    ['0711', 'Palembang', 'WIB'],
    ['0751', 'Padang', 'WIB'],
    ['0778', 'Batam', 'WIB'],
    ['0911', 'Ambon', 'WIT'],
    ['0921', 'Ternate (Maluku Utara)', 'WIT'],
    ['0951', 'Sorong', 'WIT'],
    ['0967', 'Jayapura', 'WIT'],
  ])('%s %s is %s', (code, _city, zone) => {
    const contact = fixedLine(code);
    expect(areaZone(contact)?.name).toBe(zone);
    expect(zoneOf(contact, undefined, ZONES.WIT.name === zone ? ZONES.WIB : ZONES.WIT)).toMatchObject({
      name: zone,
      source: 'area',
    });
  });

  it('a mobile number carries no zone: the fallback is used', () => {
    expect(areaZone('+6281234567890')).toBeNull();
    expect(zoneOf('+6281234567890', undefined, ZONES.WITA)).toEqual({ ...ZONES.WITA, source: 'fallback' });
    expect(zoneOf(null, '', ZONES.WIB)).toEqual({ ...ZONES.WIB, source: 'fallback' });
  });

  it('0526 serves Tamiang Layang (WIB) and Tanjung (WITA), so it is not guessed', () => {
    expect(areaZone(fixedLine('0526'))).toBeNull();
    expect(zoneOf(fixedLine('0526'), undefined, ZONES.WITA).source).toBe('fallback');
  });

  it('zona= wins over the area, in any case', () => {
    expect(zoneOf(fixedLine('021'), 'wit', ZONES.WIB)).toEqual({ ...ZONES.WIT, source: 'explicit' });
    expect(zoneOf('+6281234567890', ' WITA ', ZONES.WIB)).toEqual({ ...ZONES.WITA, source: 'explicit' });
  });

  it.each(['EST', 'Asia/Jakarta', 'wib2', 'UTC+8'])('zona=%s is invalid_input naming zona', (word) => {
    try {
      zoneOf('+6281234567890', word, ZONES.WIB);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(DomainError);
      expect(err).toMatchObject({ code: 'invalid_input', key: 'err.badZone', params: { option: 'zona' } });
    }
  });

  it('parseZone reads the three names and the Indonesian IANA zones (for POSKO_TIMEZONE)', () => {
    expect(parseZone('Wita')).toBe(ZONES.WITA);
    expect(parseZone('Asia/Pontianak')).toBe(ZONES.WIB);
    expect(parseZone('Asia/Makassar')).toBe(ZONES.WITA);
    expect(parseZone('Asia/Jayapura')).toBe(ZONES.WIT);
    expect(parseZone('Europe/Berlin')).toBeNull();
    expect(parseZone(undefined)).toBeNull();
  });

  it('the zones are the offsets Indonesia keeps all year: +7, +8, +9', () => {
    const offsetHours = (tz: string, iso: string) => {
      const at = new Date(iso);
      const local = new Date(at.toLocaleString('en-US', { timeZone: tz }));
      const utc = new Date(at.toLocaleString('en-US', { timeZone: 'UTC' }));
      return (local.getTime() - utc.getTime()) / 3_600_000;
    };
    for (const iso of ['2026-01-15T12:00:00Z', '2026-07-15T12:00:00Z'])
      expect([ZONES.WIB, ZONES.WITA, ZONES.WIT].map((z) => offsetHours(z.tz, iso))).toEqual([7, 8, 9]);
  });
});
