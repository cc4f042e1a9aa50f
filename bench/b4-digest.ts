/**
 * B4 digest on a big history: 1,000,000 tickets and 5,000,000 events (× BENCH_SCALE) seeded in a
 * private PostgreSQL database by bench/seed-history.ts, then the shift digest as the digest job
 * builds it (currentShift + buildDigest), several runs → median and max. Goal: under 1 s.
 * The digest's own SQL is captured through a drizzle logger and run again under
 * EXPLAIN (ANALYZE, BUFFERS): the plans go to bench/out/b4-plans.txt, and the figure that counts is
 * the number of sequential scans on tickets and ticket_events (goal 0: the digest reads the shift
 * through indexes, so its cost follows the shift, not the year).
 *
 * Run: npx tsx bench/b4-digest.ts   (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test)
 * BENCH_KEEP_DB=1 keeps the seeded database posko_bench_history and reuses it on the next run when
 * it was seeded at the same size.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/postgres-js';
import pino from 'pino';
import postgres from 'postgres';
import { createCore } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import type { Db } from '../src/db/index.js';
import * as schema from '../src/db/schema.js';
import { buildDigest, currentShift, digestFigures } from '../src/services/digest.js';
import { type Figure, percentile, report } from './report.js';
import { HISTORY_END, SEED_VERSION, seedHistory } from './seed-history.js';
import { BENCH_DATA_KEY } from './support/private-db.js';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const TICKETS = Math.round(1_000_000 * SCALE);
const EVENTS = Math.round(5_000_000 * SCALE);
const RUNS = 9;
const GOAL_MS = 1000;
const KEPT_DB = 'posko_bench_history';
const BASE_URL = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const KEEP = process.env.BENCH_KEEP_DB === '1';
const PLANS_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'out/b4-plans.txt');
/** Written as the database's comment once seeding finished, so a kept database is reused only when complete. */
const seedMark = JSON.stringify({
  seed: SEED_VERSION,
  tickets: TICKETS,
  events: EVENTS,
  now: HISTORY_END.toISOString(),
});

const urlOf = (name: string) => {
  const u = new URL(BASE_URL);
  u.pathname = `/${name}`;
  return u.toString();
};

const admin = postgres(BASE_URL, { max: 1, onnotice: () => {} });
const name = KEEP ? KEPT_DB : `posko_bench_b4_${Math.random().toString(36).slice(2, 8)}`;
const url = urlOf(name);

async function prepare(): Promise<{ seconds: number | null; tickets: number; events: number }> {
  const [kept] = await admin<{ mark: string | null }[]>`
    SELECT shobj_description(oid, 'pg_database') AS mark FROM pg_database WHERE datname = ${name}`;
  if (kept && kept.mark === seedMark) {
    console.log(`reusing ${name} (seeded earlier at this size)`);
    return { seconds: null, tickets: TICKETS, events: EVENTS };
  }
  if (kept) await admin.unsafe(`DROP DATABASE ${name} WITH (FORCE)`);
  await admin.unsafe(`CREATE DATABASE ${name}`);
  console.log(`seeding ${name}: ${TICKETS} tickets, ${EVENTS} events`);
  const seeded = await seedHistory({ url, tickets: TICKETS, events: EVENTS, now: HISTORY_END, log: console.log });
  await admin.unsafe(`COMMENT ON DATABASE ${name} IS '${seedMark}'`);
  console.log(`seeded in ${seeded.seconds.toFixed(1)} s`);
  return seeded;
}

interface Captured {
  query: string;
  params: unknown[];
}

const SCAN =
  /((?:Parallel )?(?:Seq Scan|Index Only Scan|Index Scan|Bitmap Heap Scan|Bitmap Index Scan))(?: Backward)?(?: using (\S+))? on (\S+)/;

/** One line per query: what it is, its time, and each scan node (relation, index) it used. */
function summarise(query: string, plan: string[]): { line: string; seqScans: number } {
  const scans = plan.flatMap((l) => {
    const m = SCAN.exec(l);
    return m ? [`${m[1]} ${m[3]}${m[2] ? ` (${m[2]})` : ''}`] : [];
  });
  const seqScans = scans.filter((s) => /Seq Scan (tickets|ticket_events)\b/.test(s)).length;
  const time = /Execution Time: ([\d.]+) ms/.exec(plan.join('\n'))?.[1] ?? '?';
  const buffers = plan.find((l) => l.includes('Buffers:'))?.trim() ?? '';
  const what = query.replace(/\s+/g, ' ').replace(/"/g, '').slice(0, 90);
  const unique = [...new Set(scans)];
  return {
    line: `${time.padStart(8)} ms  ${what}\n            ${unique.join('; ')}\n            ${buffers}`,
    seqScans,
  };
}

const figures: Figure[] = [];
try {
  const seeded = await prepare();
  const config = loadConfig(
    { DATABASE_URL: url, LOG_LEVEL: 'silent', POSKO_DATA_KEY: BENCH_DATA_KEY } as NodeJS.ProcessEnv,
    '',
  );
  const { core, close } = await createCore({ config, clock: () => HISTORY_END, log: pino({ level: 'silent' }) });
  const client = postgres(url, { max: 10, onnotice: () => {} });
  try {
    const period = currentShift(core, HISTORY_END);
    console.log(`shift ${period.from.toISOString()} – ${period.to.toISOString()}, ${RUNS} runs after one first run`);
    let t0 = performance.now();
    await buildDigest(core, HISTORY_END, period);
    const first = performance.now() - t0;
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      t0 = performance.now();
      await buildDigest(core, HISTORY_END, period);
      times.push(performance.now() - t0);
    }

    // The same digest through a logging drizzle: the exact SQL and parameters, then their plans.
    const captured: Captured[] = [];
    const logged = drizzle(client, {
      schema,
      logger: { logQuery: (query, params) => void captured.push({ query, params }) },
    }) as unknown as Db;
    const f = await digestFigures({ ...core, db: logged }, HISTORY_END, period);
    let seqScans = 0;
    const lines: string[] = [];
    const out: string[] = [`B4 plans, ${TICKETS} tickets, ${EVENTS} events, shift ${period.from.toISOString()}`];
    for (const { query, params } of captured) {
      const rows = await client.unsafe(
        `EXPLAIN (ANALYZE, BUFFERS) ${query}`,
        params as postgres.ParameterOrJSON<never>[],
      );
      const plan = rows.map((r) => String(r['QUERY PLAN']));
      const s = summarise(query, plan);
      seqScans += s.seqScans;
      lines.push(s.line);
      out.push('', query, `-- params: ${JSON.stringify(params)}`, ...plan);
    }
    mkdirSync(path.dirname(PLANS_FILE), { recursive: true });
    writeFileSync(PLANS_FILE, `${out.join('\n')}\n`);
    console.log(`\nplans of the ${captured.length} digest queries (full text: ${PLANS_FILE}):`);
    for (const l of lines) console.log(l);
    const ratio = (r: { n: number; of: number }) => `${r.n}/${r.of}`;
    console.log(
      `\ndigest: open ${f.openTotal} ${JSON.stringify(f.openByStatus)}, opened ${f.opened}, closed ${f.closed}, ` +
        `breached open ${f.breachedOpen} / in shift ${f.breachedInPeriod}, waiting ${f.waitingEscalations}, ` +
        `overdue ${f.overdueUpdates}\nKPIs: within SLA ${ratio(f.kpi.closedWithinSla)}, per standard ` +
        `${ratio(f.kpi.closedPerStandard)}, informed on time ${ratio(f.kpi.informedOnTime)}, ` +
        `median first contact ${f.kpi.medianFirstContactMinutes} min\n`,
    );

    const median = percentile(times, 50);
    figures.push(
      { bench: 'B4', metric: 'history: tickets', value: seeded.tickets, unit: 'rows' },
      { bench: 'B4', metric: 'history: events', value: seeded.events, unit: 'rows' },
      ...(seeded.seconds === null
        ? []
        : [{ bench: 'B4', metric: 'seeding time', value: seeded.seconds, unit: 's' } satisfies Figure]),
      { bench: 'B4', metric: 'digest, first run', value: first, unit: 'ms' },
      {
        bench: 'B4',
        metric: `digest, median of ${RUNS}`,
        value: median,
        unit: 'ms',
        goal: `< ${GOAL_MS} ms`,
        met: median < GOAL_MS,
      },
      { bench: 'B4', metric: `digest, max of ${RUNS}`, value: Math.max(...times), unit: 'ms' },
      {
        bench: 'B4',
        metric: 'seq scans on tickets/events',
        value: seqScans,
        unit: `in ${captured.length} plans`,
        goal: '0',
        met: seqScans === 0,
      },
    );
  } finally {
    await client.end({ timeout: 5 });
    await close();
  }
} finally {
  if (KEEP) console.log(`kept database ${name} (BENCH_KEEP_DB=1); drop it with DROP DATABASE ${name} WITH (FORCE)`);
  else await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}
report(figures);
