/**
 * How many acknowledged requests run their command at once; the rest wait their turn in arrival
 * order. Without a bound, a burst (B1: 5,000 /tiket buka, 50 in flight) had every acked command
 * start together: thousands queued for the 10 database connections holding their half-built
 * state (the process reached 500 MB) and took CPU from the acks of the requests still arriving
 * (posko acked at 0.46× a bare Bolt app; 0.59× with the bound).
 */
export const COMMANDS_AT_ONCE = 16;

/** Runs `work` when fewer than `max` earlier ones are still running. */
export function afterAckQueue(max = COMMANDS_AT_ONCE) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <T>(work: () => Promise<T>): Promise<T> => {
    if (running < max) running++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await work();
    } finally {
      // Hand the slot straight to the next in line, so a newcomer cannot jump the queue.
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}
