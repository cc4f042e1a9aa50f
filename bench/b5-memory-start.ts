/**
 * B5 memory and start. Start: time from spawning `npx posko start` to ready — in console mode on
 * PGlite (ready = the console's welcome line, printed once the database is open and the demo
 * roster seeded), on a fresh POSKO_DATA_DIR and again on the existing one; and in Slack mode on
 * PostgreSQL (ready = GET /readyz answers 200), on a fresh database (migrations run) and again.
 * Memory: that Slack-mode process then takes B1's load (posko only) and its VmRSS and VmHWM are
 * read from /proc/<pid>/status once the work is done.
 * Run: npx tsx bench/b5-memory-start.ts   (BENCH_SCALE=0.1 for a quick run; BENCH_B5=console for
 * the console starts alone)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catalogues } from '../src/i18n/index.js';
import { type Figure, percentile, report } from './report.js';
import { privateDatabase } from './support/private-db.js';
import { processMemory, spawnPosko, stopChild, tail } from './support/processes.js';
import { load, type PoskoProcess, startFakeSlack, startPoskoSlack, waitForWork } from './support/slack-stage.js';

const SCALE = Number(process.env.BENCH_SCALE || 1);
const REQUESTS = Math.max(200, Math.round(5000 * SCALE));
const WARMUP = Math.max(50, Math.round(500 * SCALE));
const STARTS = SCALE >= 1 ? 3 : 1;
const WELCOME = catalogues.id['console.welcome'];

/** Spawn to the welcome line, then `keluar`; the time and the peak RSS (VmHWM) when ready. */
async function consoleStart(dataDir: string): Promise<{ ms: number; peakMb: number }> {
  const t0 = performance.now();
  const child = spawnPosko(['start'], { POSKO_DATA_DIR: dataDir });
  const stderr = tail(child.stderr);
  let out = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes(WELCOME)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`console exited with ${code} before ready:\n${stderr()}`)));
  });
  const ms = performance.now() - t0;
  const peakMb = child.pid ? processMemory(child.pid).peakMb : Number.NaN;
  child.stdin?.end('keluar\n');
  await stopChild(child, 15_000);
  return { ms, peakMb };
}

const median = (xs: number[]) => percentile(xs, 50);

const consoleFresh: number[] = [];
const consoleAgain: number[] = [];
const consolePeak: number[] = [];
for (let i = 0; i < STARTS; i++) {
  const dir = mkdtempSync(join(tmpdir(), 'posko-b5-'));
  try {
    const fresh = await consoleStart(dir);
    consoleFresh.push(fresh.ms);
    consolePeak.push(fresh.peakMb);
    consoleAgain.push((await consoleStart(dir)).ms);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const consoleFigures: Figure[] = [
  {
    bench: 'B5',
    metric: 'console start, fresh PGlite dir',
    value: median(consoleFresh),
    unit: 'ms',
    goal: '< 3,000 ms',
    met: median(consoleFresh) < 3000,
  },
  {
    bench: 'B5',
    metric: 'console peak RSS (VmHWM) at ready, fresh dir',
    value: Math.max(...consolePeak),
    unit: 'MB',
    goal: '< 300 MB',
    met: Math.max(...consolePeak) < 300,
  },
  {
    bench: 'B5',
    metric: 'console start, existing PGlite dir',
    value: median(consoleAgain),
    unit: 'ms',
    goal: '< 2,000 ms',
    met: median(consoleAgain) < 2000,
  },
];
// BENCH_B5=console: the console starts alone (no PostgreSQL, no B1 load).
if (process.env.BENCH_B5 === 'console') {
  console.log(`B5: start times are the median of ${STARTS}`);
  report(consoleFigures);
  process.exit(0);
}

const db = await privateDatabase('posko_b5');
const fake = await startFakeSlack();
const slackStarts: number[] = [];
let posko: PoskoProcess | undefined;
try {
  for (let i = 0; i <= STARTS; i++) {
    if (posko) await posko.stop();
    posko = await startPoskoSlack(db.url, fake);
    slackStarts.push(posko.readyMs);
  }
  if (!posko?.child.pid) throw new Error('posko did not start');
  const pid = posko.child.pid;
  const idle = processMemory(pid);
  await load(posko, fake, 0, WARMUP);
  await load(posko, fake, WARMUP, REQUESTS);
  const work = await waitForWork(db.sql, fake, WARMUP + REQUESTS, 120_000 + REQUESTS * 50);
  if (work.timedOut) console.log(`posko did not finish B1's work (${work.tickets} tickets)`);
  const after = processMemory(pid);
  const [freshStart = Number.NaN, ...againStarts] = slackStarts;
  const figures: Figure[] = [
    ...consoleFigures,
    { bench: 'B5', metric: 'Slack start, fresh PostgreSQL db', value: freshStart, unit: 'ms' },
    { bench: 'B5', metric: 'Slack start, existing PostgreSQL db', value: median(againStarts), unit: 'ms' },
    { bench: 'B5', metric: 'VmRSS when ready (Slack, PostgreSQL)', value: idle.rssMb, unit: 'MB' },
    {
      bench: 'B5',
      metric: `VmRSS after B1 (${WARMUP + REQUESTS} commands)`,
      value: after.rssMb,
      unit: 'MB',
      goal: '< 200 MB',
      met: after.rssMb < 200,
    },
    { bench: 'B5', metric: 'VmHWM (peak) during B1', value: after.peakMb, unit: 'MB' },
  ];
  console.log(`B5: start times are the median of ${STARTS} (the fresh PostgreSQL start: one)`);
  report(figures);
} finally {
  await posko?.stop();
  await fake.stop();
  await db.drop();
}
