/** The line acked commands wait in (src/platforms/slack/after-ack.ts): acks first in a burst, order kept. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { afterAckQueue } from '../../src/platforms/slack/after-ack.js';

// The queue reads the time through `now`; Date.now follows the fake timers.
const now = () => Date.now();
beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date('2026-12-03T08:00:00Z'));
});
afterEach(() => {
  vi.useRealTimers();
});

/** Work that runs until told to finish; records when it started. */
function gate(started: string[], name: string) {
  let finish: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  return {
    work: async () => {
      started.push(name);
      await done;
      return name;
    },
    finish: () => finish(),
  };
}

const settle = () => vi.advanceTimersByTimeAsync(0);

describe('commands after the ack', () => {
  it('outside a burst, up to `max` run at once and the rest follow in arrival order', async () => {
    const queue = afterAckQueue({ max: 2, inBurst: 1, burstGapMs: 20, now });
    const started: string[] = [];
    const gates = ['a', 'b', 'c'].map((n) => gate(started, n));
    const runs = [];
    for (const g of gates) {
      runs.push(queue(g.work));
      await vi.advanceTimersByTimeAsync(100); // a request every 100 ms: no burst
    }
    expect(started).toEqual(['a', 'b']);
    gates[0]?.finish();
    await settle();
    expect(started).toEqual(['a', 'b', 'c']);
    for (const g of gates) g.finish();
    expect(await Promise.all(runs)).toEqual(['a', 'b', 'c']);
  });

  it('while requests pour in, only `inBurst` run; the rest start once the burst is over', async () => {
    const queue = afterAckQueue({ max: 16, inBurst: 1, burstGapMs: 20, longestDeferMs: 10_000, now });
    const started: string[] = [];
    const gates = Array.from({ length: 6 }, (_, i) => gate(started, `c${i}`));
    const runs = [];
    for (const g of gates) {
      runs.push(queue(g.work));
      await vi.advanceTimersByTimeAsync(1); // a request every millisecond
    }
    expect(started).toEqual(['c0']);
    // Still inside the burst (the last arrival 10 ms ago): nothing more starts.
    await vi.advanceTimersByTimeAsync(9);
    expect(started).toEqual(['c0']);
    // Quiet for longer than the gap: everyone waiting starts, in order.
    await vi.advanceTimersByTimeAsync(20);
    expect(started).toEqual(['c0', 'c1', 'c2', 'c3', 'c4', 'c5']);
    for (const g of gates) g.finish();
    await Promise.all(runs);
  });

  it('however long the burst, no command waits longer than `longestDeferMs` to start', async () => {
    const queue = afterAckQueue({ max: 16, inBurst: 0, burstGapMs: 20, longestDeferMs: 100, now });
    const started: string[] = [];
    const first = gate(started, 'first');
    const run = queue(first.work);
    await settle();
    // Outside a burst the first request starts at once; the next ones, 5 ms apart, make a burst.
    expect(started).toEqual(['first']);
    const others = [];
    for (let ms = 5; ms <= 200; ms += 5) {
      await vi.advanceTimersByTimeAsync(5);
      const g = gate(started, `r${ms}`);
      others.push({ g, run: queue(g.work) });
      await settle();
      // r5 arrived within the gap of the first: it waits, as all after it, until it has waited 100 ms.
      if (ms < 100) expect(started).toEqual(['first']);
    }
    expect(started[1]).toBe('r5');
    expect(started.length).toBeGreaterThan(2);
    first.finish();
    for (const o of others) o.g.finish();
    await vi.advanceTimersByTimeAsync(200);
    await Promise.all([run, ...others.map((o) => o.run)]);
    expect(started).toHaveLength(41);
  });
});
