import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type KpiEvent, median, ticketKpi } from '../../src/domain/kpi.js';

const T0 = Date.parse('2026-12-01T00:00:00Z');
const ev = (minute: number, type: string, payload: Record<string, unknown> = {}): KpiEvent => ({
  type,
  at: new Date(T0 + minute * 60_000),
  payload,
});

describe('A8 informed on time measures contact, not silence (src/domain/kpi.ts)', () => {
  it('a ticket never updated but closed within 120 minutes is not informed on time', () => {
    const k = ticketKpi([ev(0, 'opened'), ev(100, 'closed', { path: 'cancelled', offer: true, withinSla: true })], 120);
    expect(k?.informedOnTime).toBe(false);
    expect(k?.firstContactMinutes).toBe(Number.POSITIVE_INFINITY);
  });

  it('time waiting on the customer or Telkom does not count as silence; time after the confirmation neither', () => {
    const events = [
      ev(0, 'opened'),
      ev(60, 'informed'),
      ev(100, 'sla_paused', { reason: 'telkom' }),
      ev(400, 'sla_resumed', { reason: 'telkom' }),
      ev(450, 'call_attempt', { outcome: 'tersambung' }), // 40 + 50 running minutes since the update
      ev(500, 'confirmed', { result: 'ok', slaMet: true }),
      ev(900, 'closed', { path: 'standard', offer: true, withinSla: true }),
    ];
    expect(ticketKpi(events, 120)?.informedOnTime).toBe(true);
    // Without the pause the same ticket is 350 minutes silent.
    expect(
      ticketKpi(
        events.filter((e) => !e.type.startsWith('sla_')),
        120,
      )?.informedOnTime,
    ).toBe(false);
  });

  it('updates after closing do not count toward the first contact', () => {
    const k = ticketKpi(
      [ev(0, 'opened'), ev(30, 'closed', { path: 'duplicate', withinSla: true }), ev(40, 'informed')],
      120,
    );
    expect(k?.firstContactMinutes).toBe(Number.POSITIVE_INFINITY);
    expect(k?.informedOnTime).toBeNull(); // a duplicate had no customer of its own to inform
  });
});

describe('A5 first-contact resolution', () => {
  const close = ev(300, 'closed', { path: 'standard', offer: true, withinSla: true });
  it('confirmed ok on the first connected call counts; a second connected call or a failed confirmation does not', () => {
    const first = [
      ev(0, 'opened'),
      ev(10, 'call_attempt', { outcome: 'tersambung' }),
      ev(20, 'confirmed', { result: 'ok' }),
      close,
    ];
    expect(ticketKpi(first, 120)?.firstContactResolution).toBe(true);
    const second = [
      ev(0, 'opened'),
      ev(10, 'call_attempt', { outcome: 'tersambung' }),
      ev(100, 'call_attempt', { outcome: 'tersambung' }),
      ev(110, 'confirmed', { result: 'ok' }),
      close,
    ];
    expect(ticketKpi(second, 120)?.firstContactResolution).toBe(false);
    const failed = [
      ev(0, 'opened'),
      ev(10, 'confirmed', { result: 'gagal' }),
      ev(20, 'confirmed', { result: 'ok' }),
      close,
    ];
    expect(ticketKpi(failed, 120)?.firstContactResolution).toBe(false);
  });
});

describe('medians over all tickets', () => {
  it('counts the never-contacted as never, so a median of mostly silence says so', () => {
    expect(median([10, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY])).toBe(Number.POSITIVE_INFINITY);
    expect(median([10, 30, 60, Number.POSITIVE_INFINITY])).toBe(45);
    expect(median([])).toBeNull();
  });

  it('is the middle of the sorted values (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 50 }), (xs) => {
        const m = median(xs) as number;
        const below = xs.filter((x) => x < m).length;
        const above = xs.filter((x) => x > m).length;
        expect(below).toBeLessThanOrEqual(xs.length / 2);
        expect(above).toBeLessThanOrEqual(xs.length / 2);
      }),
    );
  });
});
