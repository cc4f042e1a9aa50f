import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ZONES } from '../../src/domain/customer-zone.js';
import { HolidayListError, type Holidays, parseHolidays, SHIPPED_HOLIDAYS } from '../../src/domain/holidays.js';
import { addDays, localParts } from '../../src/domain/local-time.js';
import {
  DEFAULT_WORKING_HOURS,
  formatWorkingHours,
  isWorkingMoment,
  nextWorkingMoment,
  parseWorkingHours,
  type WorkingHours,
} from '../../src/domain/working-hours.js';

const none: Holidays = new Map();
const local = (at: Date, tz: string) => at.toLocaleString('sv-SE', { timeZone: tz }).slice(0, 16);

describe('POSKO_WORKING_HOURS', () => {
  it.each([
    ['08-21', '08.00–21.00'],
    ['8-21', '08.00–21.00'],
    ['08.00-21.00', '08.00–21.00'],
    ['08:30 - 17:00', '08.30–17.00'],
    ['00-24', '00.00–24.00'],
  ])('%s is read as %s', (spec, shown) => expect(formatWorkingHours(parseWorkingHours(spec))).toBe(shown));

  it.each(['21-08', '08-08', '25-26', '8.75-21', '08-24.30', '24-24', 'pagi-malam', '', '08'])(
    '%s is refused with one line',
    (spec) => {
      expect(() => parseWorkingHours(spec)).toThrow(/08-21/);
      expect(() => parseWorkingHours(spec)).not.toThrow(/\n/);
    },
  );

  it('defaults to 08–21 local', () => expect(formatWorkingHours(DEFAULT_WORKING_HOURS)).toBe('08.00–21.00'));
});

describe('holiday list', () => {
  it('reads "YYYY-MM-DD name" lines, skipping comments and blanks', () => {
    const h = parseHolidays('# libur\n\n2026-08-17 Kemerdekaan\n  2026-12-25   Natal  \n');
    expect([...h]).toEqual([
      ['2026-08-17', 'Kemerdekaan'],
      ['2026-12-25', 'Natal'],
    ]);
  });

  it.each([
    ['2026-02-30 Tidak ada', 'line 2'],
    ['17-08-2026 Kemerdekaan', 'line 2'],
    ['2026-08-17', 'line 2'],
  ])('a bad line (%s) is refused naming it', (bad, where) => {
    expect(() => parseHolidays(`2026-01-01 Tahun Baru\n${bad}`)).toThrow(HolidayListError);
    expect(() => parseHolidays(`2026-01-01 Tahun Baru\n${bad}`)).toThrow(new RegExp(`${where} .*${bad.slice(0, 5)}`));
  });

  it('ships the 17 national holidays of 2026 per the SKB, cuti bersama only as opt-in comments', () => {
    const y2026 = [...SHIPPED_HOLIDAYS.keys()].filter((d) => d.startsWith('2026'));
    expect(y2026).toHaveLength(17);
    expect(SHIPPED_HOLIDAYS.get('2026-08-17')).toMatch(/Kemerdekaan/);
    expect(SHIPPED_HOLIDAYS.get('2026-03-21')).toMatch(/Idulfitri/);
    expect(SHIPPED_HOLIDAYS.has('2026-03-20')).toBe(false); // cuti bersama Idulfitri
  });

  it('2027 dates that the SKB has yet to fix are marked as estimates', () => {
    const y2027 = [...SHIPPED_HOLIDAYS].filter(([d]) => d.startsWith('2027'));
    expect(y2027.length).toBeGreaterThanOrEqual(17);
    for (const [, name] of y2027.filter(([, n]) => /Idulfitri|Iduladha|Nyepi|Waisak|Muharam|Maulid|Isra/.test(n)))
      expect(name).toMatch(/\(perkiraan\)$/);
  });
});

describe('nextWorkingMoment', () => {
  it('23.00 WITA → 08.00 WITA the next day', () => {
    const at = new Date('2026-12-03T15:00:00Z'); // 23.00 WITA
    const next = nextWorkingMoment(at, ZONES.WITA, DEFAULT_WORKING_HOURS, SHIPPED_HOLIDAYS);
    expect(local(next, ZONES.WITA.tz)).toBe('2026-12-04 08:00');
  });

  it('the same instant is working time in Jakarta and not yet in Jayapura (zones matter)', () => {
    const at = new Date('2026-12-03T12:30:00Z'); // 19.30 WIB, 21.30 WIT
    expect(isWorkingMoment(at, ZONES.WIB, DEFAULT_WORKING_HOURS, none)).toBe(true);
    expect(isWorkingMoment(at, ZONES.WIT, DEFAULT_WORKING_HOURS, none)).toBe(false);
  });

  it('skips holidays: 21.30 WIB on 16 August 2026 → 08.00 on 18 August (17 August is a holiday)', () => {
    const at = new Date('2026-08-16T13:00:00Z'); // 20.00 WIB, still working
    const next = nextWorkingMoment(at, ZONES.WIB, DEFAULT_WORKING_HOURS, SHIPPED_HOLIDAYS);
    expect(next).toEqual(at);
    const later = nextWorkingMoment(
      new Date('2026-08-16T14:30:00Z'),
      ZONES.WIB,
      DEFAULT_WORKING_HOURS,
      SHIPPED_HOLIDAYS,
    );
    expect(local(later, ZONES.WIB.tz)).toBe('2026-08-18 08:00');
  });

  it('before opening → opening the same day; the end is exclusive', () => {
    const hours = parseWorkingHours('08.30-17.00');
    const early = nextWorkingMoment(new Date('2026-12-03T00:00:00Z'), ZONES.WIB, hours, none); // 07.00 WIB
    expect(local(early, ZONES.WIB.tz)).toBe('2026-12-03 08:30');
    const closing = new Date('2026-12-03T10:00:00Z'); // 17.00 WIB
    expect(isWorkingMoment(closing, ZONES.WIB, hours, none)).toBe(false);
    expect(local(nextWorkingMoment(closing, ZONES.WIB, hours, none), ZONES.WIB.tz)).toBe('2026-12-04 08:30');
  });

  it('reads the offset at each instant, so a zone with daylight saving works too', () => {
    const berlin = { tz: 'Europe/Berlin' };
    const winter = nextWorkingMoment(new Date('2026-01-10T03:00:00Z'), berlin, DEFAULT_WORKING_HOURS, none);
    const summer = nextWorkingMoment(new Date('2026-07-10T03:00:00Z'), berlin, DEFAULT_WORKING_HOURS, none);
    expect(winter.toISOString()).toBe('2026-01-10T07:00:00.000Z');
    expect(summer.toISOString()).toBe('2026-07-10T06:00:00.000Z');
  });

  it('refuses a holiday list with no working day in sight instead of looping', () => {
    const everyDay = new Map(Array.from({ length: 500 }, (_, i) => [addDays('2026-12-01', i), 'libur']));
    expect(() =>
      nextWorkingMoment(new Date('2026-12-03T00:00:00Z'), ZONES.WIB, DEFAULT_WORKING_HOURS, everyDay),
    ).toThrow(/no working day/);
  });
});

const zoneArb = fc.constantFrom(ZONES.WIB, ZONES.WITA, ZONES.WIT);
const instantArb = fc.date({
  min: new Date('2025-12-01T00:00:00Z'),
  max: new Date('2028-01-31T00:00:00Z'),
  noInvalidDate: true,
});
const hoursArb: fc.Arbitrary<WorkingHours> = fc
  .tuple(fc.integer({ min: 0, max: 24 * 60 - 1 }), fc.integer({ min: 1, max: 24 * 60 }))
  .filter(([start, end]) => start < end)
  .map(([startMinute, endMinute]) => ({ startMinute, endMinute }));
/** Holidays on the days around `at` (offsets in days), so the runs hit them. */
const caseArb = fc.record({
  at: instantArb,
  zone: zoneArb,
  hours: hoursArb,
  holidayOffsets: fc.uniqueArray(fc.integer({ min: -1, max: 6 }), { maxLength: 6 }),
});
const holidaysAround = (at: Date, tz: string, offsets: number[]): Holidays =>
  new Map(offsets.map((n) => [addDays(localParts(at, tz).date, n), 'libur']));

describe('nextWorkingMoment properties', () => {
  it('never before `at`, always a working moment, idempotent, and `at` itself when already working', () => {
    fc.assert(
      fc.property(caseArb, ({ at, zone, hours, holidayOffsets }) => {
        const holidays = holidaysAround(at, zone.tz, holidayOffsets);
        const next = nextWorkingMoment(at, zone, hours, holidays);
        expect(next.getTime()).toBeGreaterThanOrEqual(at.getTime());
        expect(isWorkingMoment(next, zone, hours, holidays)).toBe(true);
        expect(holidays.has(localParts(next, zone.tz).date)).toBe(false);
        expect(nextWorkingMoment(next, zone, hours, holidays)).toEqual(next);
        if (isWorkingMoment(at, zone, hours, holidays)) expect(next).toEqual(at);
      }),
      { numRuns: 2000 },
    );
  });

  it('skips no working time: a moved result is the start of a window, and nothing between is working', () => {
    fc.assert(
      fc.property(caseArb, fc.double({ min: 0, max: 1, noNaN: true }), ({ at, zone, hours, holidayOffsets }, f) => {
        const holidays = holidaysAround(at, zone.tz, holidayOffsets);
        const next = nextWorkingMoment(at, zone, hours, holidays);
        if (next.getTime() === at.getTime()) return;
        expect(isWorkingMoment(new Date(next.getTime() - 1), zone, hours, holidays)).toBe(false);
        const between = new Date(at.getTime() + Math.floor(f * (next.getTime() - at.getTime())));
        if (between.getTime() < next.getTime()) expect(isWorkingMoment(between, zone, hours, holidays)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });
});
