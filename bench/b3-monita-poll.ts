/**
 * B3 MONITA poll: one monita-poll tick (pollMonita, the real MONITA client over HTTP against the
 * fake feed) with 2,000 updates, each for its own linked open ticket — once beside 2,000 open
 * tickets, once beside 20,000 (the 18,000 more are linked to other fault ids and hear nothing).
 * The page's tickets are found through the MONITA-id index, so the tick should cost the same
 * both times: the ratio 20k / 2k is the figure (goal ≤ 1.2). Tickets are seeded in bulk with SQL,
 * each with its `opened` event and a posted card, as `buka` leaves them.
 * Each size runs 3 ticks (fresh update ids each time, same tickets) and reports the median; a
 * warm-up on a small database runs first (JIT, connection start-up).
 *
 * Run: npx tsx bench/b3-monita-poll.ts   (BENCH_DATABASE_URL, BENCH_SCALE; BENCH_PGLITE=0 skips PGlite)
 */
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { type Core, createCore } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { resealRows } from '../src/crypto/reseal.js';
import { activeKeyRing } from '../src/crypto/ring.js';
import { outbox } from '../src/db/schema.js';
import { pollMonita } from '../src/jobs/monita-poll.js';
import { createMonitaClient } from '../src/monita/client.js';
import { feedItem, startFakeFeed } from '../test/fakes/monita-feed.js';
import { type Figure, percentile, report } from './report.js';
import { BENCH_DATA_KEY, BENCH_SCALE, benchDatabase } from './support/private-db.js';

// One tick reads at most 20 pages of 100 (pollMonita's defaults): 2,000 updates is a full tick.
const UPDATES = Math.min(2000, Math.max(10, Math.round(2000 * BENCH_SCALE)));
const GOAL = 1.2;
const REPS = 3;
const monitaId = (g: number) => `IN${500_000_000 + g}`;

const outboxRows = async (core: Core) =>
  (await core.db.select({ n: sql<number>`count(*)::int` }).from(outbox))[0]?.n ?? 0;

async function tick(kind: 'postgres' | 'pglite', openTickets: number, updates: number) {
  const db = await benchDatabase(kind);
  const config = loadConfig(
    {
      DATABASE_URL: db.url,
      MONITA_URL: 'http://feed',
      LOG_LEVEL: 'silent',
      POSKO_DATA_KEY: BENCH_DATA_KEY,
    } as NodeJS.ProcessEnv,
    '',
  );
  const now = new Date('2026-11-28T08:00:00Z');
  const { core, close } = await createCore({ config, clock: () => now, log: pino({ level: 'silent' }) });
  const feed = await startFakeFeed();
  try {
    await core.db.execute(sql`
      INSERT INTO tickets (service, queue, team, customer_id, customer_name, contact, complaint, status, assignee,
        opened_by, platform, channel, card_ref, monita_id, sla_due_at, created_at, updated_at)
      SELECT 'indihome', 'reguler', 'a', lpad(g::text, 12, '0'), 'Sari Dewi', '+6281234567890', 'Internet mati',
        'open', 'slack:UAGENT', 'slack:UAGENT', 'slack', 'CTEAMA',
        jsonb_build_object('platform', 'slack', 'channel', 'CTEAMA', 'messageId', '1700000000.' || g),
        'IN' || (500000000 + g), ${now.toISOString()}::timestamptz + interval '24 hours',
        ${now.toISOString()}::timestamptz - interval '1 hour', ${now.toISOString()}::timestamptz - interval '1 hour'
      FROM generate_series(1, ${openTickets}::int) g`);
    await core.db.execute(sql`
      INSERT INTO ticket_events (ticket_id, type, actor, at, payload)
      SELECT id, 'opened', 'slack:UAGENT', created_at, '{}'::jsonb FROM tickets`);
    // Seeded in plaintext as before encryption, then sealed as a start would.
    await resealRows(core.db, activeKeyRing(), 'unsealed', 2000);
    await core.db.execute(sql`ANALYZE`);
    const client = createMonitaClient({ baseUrl: feed.url });
    // Several ticks, each with fresh update ids for the same tickets; the median is the figure.
    const times: number[] = [];
    let posted = 0;
    let queued = 0;
    for (let rep = 0; rep < REPS; rep++) {
      for (let g = 1; g <= updates; g++)
        feed.log.push(feedItem(`b3-${rep}-${g}`, monitaId(g), 'REPAIRING', { stage: `Teknisi tahap ${rep}` }));
      const before = await outboxRows(core);
      const t0 = performance.now();
      const result = await pollMonita(core, client, now);
      times.push(performance.now() - t0);
      posted = result.posted;
      queued = (await outboxRows(core)) - before;
    }
    return { ms: percentile(times, 50), posted, queued };
  } finally {
    await feed.close();
    await close();
    await db.drop();
  }
}

async function measure(kind: 'postgres' | 'pglite'): Promise<Figure[]> {
  await tick(kind, 100, 100); // warm-up
  const small = await tick(kind, UPDATES, UPDATES);
  const large = await tick(kind, UPDATES * 10, UPDATES);
  const ratio = large.ms / small.ms;
  const label = (n: number) => `${kind}, ${UPDATES} updates, ${n} open`;
  return [
    { bench: 'B3', metric: `${label(UPDATES)}: tick`, value: small.ms, unit: 'ms' },
    { bench: 'B3', metric: `${label(UPDATES * 10)}: tick`, value: large.ms, unit: 'ms' },
    {
      bench: 'B3',
      metric: `${kind}: tick ${UPDATES * 10} open / ${UPDATES} open`,
      value: ratio,
      unit: '×',
      goal: `≤ ${GOAL}`,
      met: ratio <= GOAL,
    },
    { bench: 'B3', metric: `${kind}: per update (${UPDATES * 10} open)`, value: large.ms / UPDATES, unit: 'ms' },
    {
      bench: 'B3',
      metric: `${kind}: thread posts queued (${UPDATES * 10} open)`,
      value: large.queued,
      unit: 'rows',
      goal: `= ${UPDATES} (stages posted)`,
      met: large.queued === UPDATES && large.posted === UPDATES && small.queued === UPDATES,
    },
  ];
}

const figures = await measure('postgres');
if (process.env.BENCH_PGLITE !== '0') figures.push(...(await measure('pglite')));
report(figures);
