import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { metSla, type Pause, pausedMs, type SlaClockInput, slaClock } from '../../src/domain/sla-clock.js';

const T0 = Date.parse('2026-12-01T01:00:00Z');
const H = 3_600_000;
const MIN = 60_000;
const at = (hours: number) => new Date(T0 + hours * H);
const pause = (reason: Pause['reason'], from: number, to?: number): Pause => ({
  reason,
  start: at(from),
  end: to === undefined ? null : at(to),
});

describe('A7 SLA clock with pauses', () => {
  const base: SlaClockInput = { openedAt: at(0), slaHours: 8, pauses: [] };

  it('runs from opening: 6 h into an 8 h SLA is 75 % used, due at 8 h', () => {
    const r = slaClock(base, at(6));
    expect(r).toMatchObject({ elapsedMs: 6 * H, pausedMs: 0, share: 0.75, pausedBy: [], breached: false });
    expect(r.dueAt).toEqual(at(8));
  });

  it('a callback pause of 2 h moves the due time by 2 h and leaves the share where it was', () => {
    const input = { ...base, pauses: [pause('customer', 1, 3)] };
    const r = slaClock(input, at(7));
    expect(r).toMatchObject({ elapsedMs: 5 * H, pausedMs: 2 * H, breached: false });
    expect(r.dueAt).toEqual(at(10));
  });

  it('while paused (waiting on Telkom) there is no due time and the pause is named', () => {
    const r = slaClock({ ...base, pauses: [pause('telkom', 2)] }, at(5));
    expect(r).toMatchObject({ elapsedMs: 2 * H, pausedMs: 3 * H, dueAt: null, pausedBy: ['telkom'] });
  });

  it('overlapping and nested pauses count once', () => {
    const pauses = [pause('customer', 1, 4), pause('telkom', 2, 3), pause('telkom', 3.5, 5)];
    expect(pausedMs(pauses, at(0), at(10))).toBe(4 * H);
    expect(slaClock({ ...base, pauses }, at(6)).elapsedMs).toBe(2 * H);
  });

  it('only the part of a pause inside [opening, now] counts', () => {
    const pauses = [pause('customer', -2, 1), pause('customer', 5, 9)];
    expect(slaClock({ ...base, pauses }, at(6)).pausedMs).toBe(2 * H);
  });

  it('a ticket confirmed just before its due time met the SLA even if closed after it (issue 11 defect)', () => {
    const input = { ...base, pauses: [pause('customer', 2, 4)] };
    expect(metSla(input, at(9.9))).toBe(true); // confirmation: 7.9 h running
    expect(metSla(input, at(10.1))).toBe(false); // a later close would have breached
  });

  it('a breach before a pause stays where it was', () => {
    const input = { ...base, pauses: [pause('telkom', 9, 12)] };
    const r = slaClock(input, at(13));
    expect(r.dueAt).toEqual(at(8));
    expect(r.breached).toBe(true);
  });
});

const pauseArb = fc
  .record({
    reason: fc.constantFrom<Pause['reason']>('customer', 'telkom'),
    from: fc.integer({ min: -120, max: 2000 }),
    length: fc.integer({ min: 0, max: 600 }),
    open: fc.boolean(),
  })
  .map(({ reason, from, length, open }) => ({
    reason,
    start: new Date(T0 + from * MIN),
    end: open ? null : new Date(T0 + (from + length) * MIN),
  }));
const inputArb = fc.record({
  openedAt: fc.constant(new Date(T0)),
  slaHours: fc.integer({ min: 1, max: 24 }),
  pauses: fc.array(pauseArb, { maxLength: 6 }),
});
const minuteArb = fc.integer({ min: 0, max: 3000 });
const closed = (pauses: Pause[]) => pauses.map((p) => ({ ...p, end: p.end ?? new Date(p.start.getTime() + 30 * MIN) }));

describe('A7 SLA clock properties', () => {
  it('elapsed is monotone in now, never above wall time, and equal to it without pauses', () => {
    fc.assert(
      fc.property(inputArb, minuteArb, minuteArb, (input, a, b) => {
        const [early, late] = a <= b ? [a, b] : [b, a];
        const e1 = slaClock(input, new Date(T0 + early * MIN)).elapsedMs;
        const e2 = slaClock(input, new Date(T0 + late * MIN)).elapsedMs;
        expect(e1).toBeLessThanOrEqual(e2);
        expect(e1).toBeGreaterThanOrEqual(0);
        expect(e2).toBeLessThanOrEqual(late * MIN);
        expect(slaClock({ ...input, pauses: [] }, new Date(T0 + late * MIN)).elapsedMs).toBe(late * MIN);
      }),
      { numRuns: 1000 },
    );
  });

  it('paused time is the union of the pauses: each paused minute counted once', () => {
    fc.assert(
      fc.property(inputArb, minuteArb, (input, now) => {
        let covered = 0;
        for (let m = 0; m < now; m++) {
          const t = T0 + m * MIN;
          if (input.pauses.some((p) => p.start.getTime() <= t && (!p.end || p.end.getTime() > t))) covered++;
        }
        expect(slaClock(input, new Date(T0 + now * MIN)).pausedMs).toBe(covered * MIN);
      }),
      { numRuns: 500 },
    );
  });

  it('pausing never turns a met SLA into a breach', () => {
    fc.assert(
      fc.property(inputArb, pauseArb, minuteArb, (input, extra, judged) => {
        const when = new Date(T0 + judged * MIN);
        if (metSla(input, when)) expect(metSla({ ...input, pauses: [...input.pauses, extra] }, when)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('the due time is where running time reaches the SLA, shifted exactly by the pauses before it', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const pauses = closed(input.pauses);
        const late = new Date(T0 + 4000 * MIN);
        const due = slaClock({ ...input, pauses }, late).dueAt;
        expect(due).not.toBeNull();
        const slaMs = input.slaHours * H;
        expect(slaClock({ ...input, pauses }, due as Date).elapsedMs).toBe(slaMs);
        expect((due as Date).getTime()).toBe(T0 + slaMs + pausedMs(pauses, new Date(T0), due as Date));
      }),
      { numRuns: 1000 },
    );
  });

  it('an open pause at now means no due time, unless the SLA was breached before it began', () => {
    fc.assert(
      fc.property(inputArb, minuteArb, (input, now) => {
        const when = new Date(T0 + now * MIN);
        const r = slaClock(input, when);
        if (r.pausedBy.length > 0 && r.dueAt) expect(r.dueAt.getTime()).toBeLessThanOrEqual(when.getTime());
        if (r.pausedBy.length === 0) expect(r.dueAt).not.toBeNull();
      }),
      { numRuns: 1000 },
    );
  });
});
