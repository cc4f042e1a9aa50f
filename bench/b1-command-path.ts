/**
 * B1 command path: signed `/tiket buka` requests for distinct customers, 50 in flight, to the real
 * posko process (Slack over HTTP, PostgreSQL) and to a bare Bolt app that only acks, taking turns
 * for BENCH_B1_ROUNDS rounds (3). Prints ack latency p50/p99 and requests per second of both, the
 * ratio posko / bare and the rate at which posko completed the commands (medians of the rounds),
 * and checks that every acked command really opened its ticket and was answered.
 * Run: npx tsx bench/b1-command-path.ts   (BENCH_SCALE=0.1 for a quick run; BENCH_CPU_PROF=dir
 * writes a CPU profile of the posko process there; BENCH_PERF_MAP=1 a perf map)
 */
import { type Figure, percentile, report } from './report.js';
import { privateDatabase } from './support/private-db.js';
import { processMemory } from './support/processes.js';
import { load, startBareBolt, startFakeSlack, startPoskoSlack, waitForWork } from './support/slack-stage.js';
import type { LoadResult } from './support/slash-load.js';

const SCALE = Number(process.env.BENCH_SCALE || 1);
const REQUESTS = Math.max(200, Math.round(5000 * SCALE));
const WARMUP = Math.max(50, Math.round(500 * SCALE));
// The two apps take turns, each warm, and the medians are reported: on this 2-core VM one run of
// either swings by a third from minute to minute (bench/README, B1).
const ROUNDS = Math.max(1, Number(process.env.BENCH_B1_ROUNDS || 3));

const summary = (r: LoadResult) => ({
  p50: percentile(r.latencies, 50),
  p99: percentile(r.latencies, 99),
  rps: r.latencies.length / (r.elapsedMs / 1000),
  failures: r.failures,
});
const median = (xs: number[]) => percentile(xs, 50);

const db = await privateDatabase('posko_b1');
const fake = await startFakeSlack();
// --cpu-prof samples wall time: a socket write that wakes PostgreSQL on a loaded machine is charged
// for the time posko then waits for a core. BENCH_PERF_MAP=1 writes /tmp/perf-<pid>.map instead, for
// `perf record -p <pid>` (on-CPU samples only) to name the JavaScript frames.
const profile = [
  ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
  ...(process.env.BENCH_PERF_MAP ? ['--perf-basic-prof'] : []),
  // e.g. BENCH_NODE_ARGS=--heap-growing-percent=0 to weigh a flag of the shebang (these come after it).
  ...(process.env.BENCH_NODE_ARGS?.split(/\s+/).filter(Boolean) ?? []),
];
interface Round {
  posko: ReturnType<typeof summary>;
  bare: ReturnType<typeof summary>;
  completed: number;
}
const rounds: Round[] = [];
let work: Awaited<ReturnType<typeof waitForWork>> | undefined;
try {
  const posko = await startPoskoSlack(db.url, fake, profile);
  const bare = await startBareBolt(fake);
  try {
    await load(posko, fake, 0, WARMUP);
    await waitForWork(db.sql, fake, WARMUP, 120_000);
    await load(bare, fake, 10_000_000, WARMUP);
    for (let round = 0; round < ROUNDS; round++) {
      const first = WARMUP + round * REQUESTS;
      const t0 = performance.now();
      const poskoRun = await load(posko, fake, first, REQUESTS);
      work = await waitForWork(db.sql, fake, first + REQUESTS, 120_000 + REQUESTS * 50);
      const workMs = performance.now() - t0;
      if (work.timedOut) console.log(`posko did not finish its work; the end of its log:\n${posko.stderr()}`);
      const bareRun = await load(bare, fake, 10_000_000 + first, REQUESTS);
      const r = { posko: summary(poskoRun), bare: summary(bareRun), completed: REQUESTS / (workMs / 1000) };
      rounds.push(r);
      console.log(
        `round ${round + 1}: posko ${r.posko.rps.toFixed(0)} acks/s (p99 ${r.posko.p99.toFixed(1)} ms), ` +
          `bare ${r.bare.rps.toFixed(0)} acks/s, ratio ${(r.posko.rps / r.bare.rps).toFixed(3)}, ` +
          `${r.completed.toFixed(0)} commands completed/s`,
      );
    }
    const mem = processMemory(posko.child.pid ?? 0);
    console.log(`posko after B1: VmRSS ${mem.rssMb.toFixed(0)} MB, VmHWM ${mem.peakMb.toFixed(0)} MB`);
  } finally {
    await posko.stop();
    await bare.stop();
  }

  const expected = WARMUP + ROUNDS * REQUESTS;
  const failures = rounds.reduce((n, r) => n + r.posko.failures + r.bare.failures, 0);
  console.log(
    `B1: ${ROUNDS} rounds of ${REQUESTS} measured requests (+${WARMUP} warm-up) per app, 50 in flight, ` +
      `medians of the rounds; failures ${failures}`,
  );
  const ratio = median(rounds.map((r) => r.posko.rps / r.bare.rps));
  const completed = median(rounds.map((r) => r.completed));
  const p99 = median(rounds.map((r) => r.posko.p99));
  const figures: Figure[] = [
    { bench: 'B1', metric: 'posko ack p50', value: median(rounds.map((r) => r.posko.p50)), unit: 'ms' },
    { bench: 'B1', metric: 'posko ack p99', value: p99, unit: 'ms', goal: '< 150 ms', met: p99 < 150 },
    { bench: 'B1', metric: 'posko acks per second', value: median(rounds.map((r) => r.posko.rps)), unit: 'req/s' },
    { bench: 'B1', metric: 'bare Bolt ack p50', value: median(rounds.map((r) => r.bare.p50)), unit: 'ms' },
    { bench: 'B1', metric: 'bare Bolt ack p99', value: median(rounds.map((r) => r.bare.p99)), unit: 'ms' },
    { bench: 'B1', metric: 'bare Bolt acks per second', value: median(rounds.map((r) => r.bare.rps)), unit: 'req/s' },
    { bench: 'B1', metric: 'ratio posko / bare (req/s)', value: ratio, unit: '×', goal: '≥ 0.7', met: ratio >= 0.7 },
    {
      bench: 'B1',
      metric: `tickets opened (of ${expected} acked)`,
      value: work?.tickets ?? 0,
      unit: 'tickets',
      goal: `= ${expected}`,
      met: work?.tickets === expected && !work.timedOut && failures === 0,
    },
    {
      bench: 'B1',
      metric: `answers on response_url (of ${expected})`,
      value: work?.ticketAnswers ?? 0,
      unit: 'answers',
      goal: `= ${expected}`,
      met: work?.ticketAnswers === expected,
    },
    {
      bench: 'B1',
      metric: 'commands completed per second',
      value: completed,
      unit: 'cmd/s',
      goal: '≥ 250',
      met: completed >= 250,
    },
  ];
  report(figures);
} finally {
  await fake.stop();
  await db.drop();
}
