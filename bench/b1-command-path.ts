/**
 * B1 command path: signed `/tiket buka` requests for distinct customers, 50 in flight, to the real
 * posko process (Slack over HTTP, PostgreSQL), then the same load to a bare Bolt app that only
 * acks — side by side in one run. Prints ack latency p50/p99 and requests per second of both,
 * the ratio posko / bare, and checks that every acked command really opened its ticket.
 * Run: npx tsx bench/b1-command-path.ts   (BENCH_SCALE=0.1 for a quick run; BENCH_CPU_PROF=dir
 * writes a CPU profile of the posko process there)
 */
import { type Figure, percentile, report } from './report.js';
import { privateDatabase } from './support/private-db.js';
import { processMemory } from './support/processes.js';
import { load, startBareBolt, startFakeSlack, startPoskoSlack, waitForWork } from './support/slack-stage.js';
import type { LoadResult } from './support/slash-load.js';

const SCALE = Number(process.env.BENCH_SCALE || 1);
const REQUESTS = Math.max(200, Math.round(5000 * SCALE));
const WARMUP = Math.max(50, Math.round(500 * SCALE));

const summary = (r: LoadResult) => ({
  p50: percentile(r.latencies, 50),
  p99: percentile(r.latencies, 99),
  rps: r.latencies.length / (r.elapsedMs / 1000),
  failures: r.failures,
});

const db = await privateDatabase('posko_b1');
const fake = await startFakeSlack();
// --cpu-prof samples wall time: a socket write that wakes PostgreSQL on a loaded machine is charged
// for the time posko then waits for a core. BENCH_PERF_MAP=1 writes /tmp/perf-<pid>.map instead, for
// `perf record -p <pid>` (on-CPU samples only) to name the JavaScript frames.
const profile = [
  ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
  ...(process.env.BENCH_PERF_MAP ? ['--perf-basic-prof'] : []),
];
try {
  const posko = await startPoskoSlack(db.url, fake, profile);
  let poskoRun: LoadResult;
  let work: Awaited<ReturnType<typeof waitForWork>>;
  let workMs: number;
  try {
    await load(posko, fake, 0, WARMUP);
    await waitForWork(db.sql, fake, WARMUP, 120_000);
    const t0 = performance.now();
    poskoRun = await load(posko, fake, WARMUP, REQUESTS);
    work = await waitForWork(db.sql, fake, WARMUP + REQUESTS, 120_000 + REQUESTS * 50);
    workMs = performance.now() - t0;
    if (work.timedOut) console.log(`posko did not finish its work; the end of its log:\n${posko.stderr()}`);
    const mem = processMemory(posko.child.pid ?? 0);
    console.log(`posko after B1: VmRSS ${mem.rssMb.toFixed(0)} MB, VmHWM ${mem.peakMb.toFixed(0)} MB`);
  } finally {
    await posko.stop();
  }

  const bare = await startBareBolt(fake);
  let bareRun: LoadResult;
  try {
    await load(bare, fake, 10_000_000, WARMUP);
    bareRun = await load(bare, fake, 10_000_000 + WARMUP, REQUESTS);
  } finally {
    await bare.stop();
  }

  const p = summary(poskoRun);
  const b = summary(bareRun);
  const expected = WARMUP + REQUESTS;
  console.log(
    `B1: ${REQUESTS} measured requests (+${WARMUP} warm-up) per app, 50 in flight; ` +
      `failures posko ${p.failures}, bare ${b.failures}`,
  );
  const figures: Figure[] = [
    { bench: 'B1', metric: 'posko ack p50', value: p.p50, unit: 'ms' },
    { bench: 'B1', metric: 'posko ack p99', value: p.p99, unit: 'ms', goal: '< 150 ms', met: p.p99 < 150 },
    { bench: 'B1', metric: 'posko acks per second', value: p.rps, unit: 'req/s' },
    { bench: 'B1', metric: 'bare Bolt ack p50', value: b.p50, unit: 'ms' },
    { bench: 'B1', metric: 'bare Bolt ack p99', value: b.p99, unit: 'ms' },
    { bench: 'B1', metric: 'bare Bolt acks per second', value: b.rps, unit: 'req/s' },
    {
      bench: 'B1',
      metric: 'ratio posko / bare (req/s)',
      value: p.rps / b.rps,
      unit: '×',
      goal: '≥ 0.5',
      met: p.rps / b.rps >= 0.5,
    },
    {
      bench: 'B1',
      metric: `tickets opened (of ${expected} acked)`,
      value: work.tickets,
      unit: 'tickets',
      goal: `= ${expected}`,
      met: work.tickets === expected && !work.timedOut && p.failures === 0,
    },
    {
      bench: 'B1',
      metric: `answers on response_url (of ${expected})`,
      value: work.ticketAnswers,
      unit: 'answers',
      goal: `= ${expected}`,
      met: work.ticketAnswers === expected,
    },
    { bench: 'B1', metric: 'commands completed per second', value: REQUESTS / (workMs / 1000), unit: 'cmd/s' },
  ];
  report(figures);
} finally {
  await fake.stop();
  await db.drop();
}
