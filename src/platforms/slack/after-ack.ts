/**
 * How many acknowledged requests run their command at once; the rest wait their turn in arrival
 * order. Without a bound, a burst (B1: 5,000 /tiket buka, 50 in flight) had every acked command
 * start together: thousands queued for the 10 database connections holding their half-built
 * state (the process reached 500 MB) and took CPU from the acks of the requests still arriving
 * (posko acked at 0.46× a bare Bolt app; 0.59× with the bound).
 */
export const COMMANDS_AT_ONCE = 16;

/**
 * While requests keep arriving less than `BURST_GAP_MS` apart (over 50 a second — a mass outage,
 * not a shift), only this many commands run, so the acks Slack waits for (3 s, then it retries)
 * keep the process first; the rest of the work follows as soon as the burst ends. Answers have
 * 30 minutes on response_url. Issue 14, B1: with the work deferred posko acked like a bare Bolt
 * app; at full concurrency the commands' work took 40 % of the acks' share of the CPU.
 */
export const COMMANDS_IN_BURST = 2;
export const BURST_GAP_MS = 20;
/** However long the burst, no command waits longer than this for its turn to start. */
export const LONGEST_DEFER_MS = 2_000;

export interface AfterAckOptions {
  max?: number;
  inBurst?: number;
  burstGapMs?: number;
  longestDeferMs?: number;
  now?: () => number;
}

/** Runs each `work` when a slot is free: `max` of them at once, `inBurst` while requests pour in. */
export function afterAckQueue({
  max = COMMANDS_AT_ONCE,
  inBurst = COMMANDS_IN_BURST,
  burstGapMs = BURST_GAP_MS,
  longestDeferMs = LONGEST_DEFER_MS,
  now = () => performance.now(),
}: AfterAckOptions = {}) {
  let running = 0;
  let lastArrival = Number.NEGATIVE_INFINITY;
  // A burst: the last two requests came less than the gap apart, and the last one just now.
  let burstStarted = false;
  let recheck: NodeJS.Timeout | undefined;
  const waiting: { since: number; start: () => void }[] = [];

  const limit = () => {
    const t = now();
    const inBurstNow = burstStarted && t - lastArrival < burstGapMs && t - (waiting[0]?.since ?? t) < longestDeferMs;
    return inBurstNow ? inBurst : max;
  };
  // Starts the next in line while there is room; in a burst, looks again when it may be over.
  const pump = () => {
    while (waiting.length > 0 && running < limit()) {
      running++;
      waiting.shift()?.start();
    }
    const head = waiting[0];
    if (head && running < max && !recheck) {
      const t = now();
      const over = Math.min(lastArrival + burstGapMs, head.since + longestDeferMs);
      recheck = setTimeout(
        () => {
          recheck = undefined;
          pump();
        },
        Math.max(1, Math.ceil(over - t)),
      );
    }
  };

  return async <T>(work: () => Promise<T>): Promise<T> => {
    const t = now();
    burstStarted = t - lastArrival < burstGapMs;
    lastArrival = t;
    // Joins the back of the line, so a newcomer cannot jump ahead of those already waiting.
    await new Promise<void>((start) => {
      waiting.push({ since: lastArrival, start });
      pump();
    });
    try {
      return await work();
    } finally {
      running--;
      pump();
    }
  };
}
