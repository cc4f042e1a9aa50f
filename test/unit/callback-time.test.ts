import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { callbackTime } from '../../src/domain/callback-time.js';
import { ZONES } from '../../src/domain/customer-zone.js';
import { DomainError } from '../../src/domain/errors.js';
import { type Holidays, SHIPPED_HOLIDAYS } from '../../src/domain/holidays.js';
import { isWorkingMoment } from '../../src/domain/working-hours.js';

const hours = { startMinute: 8 * 60, endMinute: 21 * 60 };
const none: Holidays = new Map();
const local = (at: Date, tz: string) => at.toLocaleString('sv-SE', { timeZone: tz }).slice(0, 16);
const thursday10Wita = new Date('2026-12-03T02:00:00Z'); // 10.00 WITA, 09.00 WIB

describe('P5.9 callback time (hubungi … jam=)', () => {
  it.each([
    ['14.00', '2026-12-03 14:00'],
    ['14:00', '2026-12-03 14:00'],
    ['14', '2026-12-03 14:00'],
    ['9.30', '2026-12-04 09:30'], // already past today → tomorrow
    ['10.00', '2026-12-04 10:00'], // exactly now is not ahead
  ])('jam=%s at 10.00 WITA → %s WITA, unmoved', (jam, expected) => {
    const cb = callbackTime(jam, thursday10Wita, ZONES.WITA, hours, none);
    expect(local(cb.at, ZONES.WITA.tz)).toBe(expected);
    expect(cb).toMatchObject({ moved: false });
    expect(cb.at).toEqual(cb.requested);
  });

  it("is read in the customer's zone: jam=14 for a WIT customer is 12.00 WIB", () => {
    const cb = callbackTime('14', thursday10Wita, ZONES.WIT, hours, none);
    expect(local(cb.at, ZONES.WIB.tz)).toBe('2026-12-03 12:00');
  });

  it('23.00 WITA is moved to 08.00 WITA the next day, and says so', () => {
    const cb = callbackTime('23.00', thursday10Wita, ZONES.WITA, hours, none);
    expect(local(cb.requested, ZONES.WITA.tz)).toBe('2026-12-03 23:00');
    expect(local(cb.at, ZONES.WITA.tz)).toBe('2026-12-04 08:00');
    expect(cb.moved).toBe(true);
  });

  it('a callback on a holiday moves to the next working day (Christmas 2026 → 26 December)', () => {
    const christmasEve = new Date('2026-12-24T10:00:00Z'); // 17.00 WIB
    const cb = callbackTime('11', christmasEve, ZONES.WIB, hours, SHIPPED_HOLIDAYS);
    expect(local(cb.requested, ZONES.WIB.tz)).toBe('2026-12-25 11:00');
    expect(local(cb.at, ZONES.WIB.tz)).toBe('2026-12-26 08:00');
    expect(cb.moved).toBe(true);
  });

  it.each(['25.00', '24', '14.75', '14.5', 'besok', '', '-1', '14.00.00'])(
    'jam=%s is invalid_input naming jam',
    (jam) => {
      try {
        callbackTime(jam, thursday10Wita, ZONES.WITA, hours, none);
        expect.unreachable();
      } catch (err) {
        expect(err).toBeInstanceOf(DomainError);
        expect(err).toMatchObject({ code: 'invalid_input', key: 'err.badTime', params: { option: 'jam' } });
      }
    },
  );

  it('property: requested is the next occurrence of jam after now, and the reminder is a working moment no earlier', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2027-12-01T00:00:00Z'), noInvalidDate: true }),
        fc.constantFrom(ZONES.WIB, ZONES.WITA, ZONES.WIT),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        (now, zone, h, m) => {
          const jam = `${h}.${String(m).padStart(2, '0')}`;
          const cb = callbackTime(jam, now, zone, hours, SHIPPED_HOLIDAYS);
          expect(cb.requested.getTime()).toBeGreaterThan(now.getTime());
          expect(cb.requested.getTime() - now.getTime()).toBeLessThanOrEqual(86_400_000);
          expect(local(cb.requested, zone.tz).slice(11)).toBe(`${String(h).padStart(2, '0')}:${jam.slice(-2)}`);
          expect(cb.at.getTime()).toBeGreaterThanOrEqual(cb.requested.getTime());
          expect(isWorkingMoment(cb.at, zone, hours, SHIPPED_HOLIDAYS)).toBe(true);
          expect(cb.moved).toBe(cb.at.getTime() !== cb.requested.getTime());
        },
      ),
      { numRuns: 1000 },
    );
  });
});
