/**
 * Digest cost against history: one ticket every 5 minutes (so every 8-hour shift holds the same
 * ~96 closed tickets), 7 days of history versus 140. The digest reads through the created/closed,
 * (status, sla_due_at) and per-ticket event indexes, so its time should follow the shift, not the
 * history. Run: npx tsx bench/digest.ts  (BENCH_DATABASE_URL=postgres://… for PostgreSQL)
 */
import { sql } from 'drizzle-orm';
import pino from 'pino';
import postgres from 'postgres';
import { createCore } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { currentShift, digestFigures } from '../src/services/digest.js';

const EVERY_SECONDS = 300;
const RUNS = 5;

async function databaseUrl(): Promise<{ url: string; drop(): Promise<void> }> {
  const base = process.env.BENCH_DATABASE_URL;
  if (!base) return { url: 'memory://', drop: async () => {} };
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  const name = `posko_bench_${Math.random().toString(36).slice(2, 8)}`;
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const u = new URL(base);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

async function measure(days: number): Promise<{ tickets: number; ms: number }> {
  const { url, drop } = await databaseUrl();
  const config = loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'silent' } as NodeJS.ProcessEnv, '');
  const now = new Date('2026-11-28T08:00:00Z');
  const { core, close } = await createCore({ config, clock: () => now, log: pino({ level: 'silent' }) });
  try {
    const count = Math.floor((days * 86_400) / EVERY_SECONDS);
    await core.db.execute(sql`
      INSERT INTO tickets (service, queue, team, customer_id, customer_name, contact, complaint, status,
        assignee, opened_by, platform, channel, sla_due_at, created_at, updated_at, closed_at)
      SELECT 'indihome', 'reguler', 'a', lpad(g::text, 12, '0'), 'Sari', '+6281234567890', 'x',
        CASE WHEN g <= 30 THEN 'open' ELSE 'closed' END,
        'console:agent' || (g % 12), 'console:ani', 'console', 'team-a',
        ts + interval '24 hours', ts, ts, CASE WHEN g <= 30 THEN NULL ELSE ts + interval '6 hours' END
      FROM (SELECT g, ${now.toISOString()}::timestamptz - g * ${EVERY_SECONDS} * interval '1 second' AS ts
            FROM generate_series(1, ${count}::int) g) s`);
    await core.db.execute(sql`
      INSERT INTO ticket_events (ticket_id, type, actor, at, payload)
      SELECT id, 'opened', 'console:ani', created_at, '{}'::jsonb FROM tickets
      UNION ALL SELECT id, 'informed', 'console:ani', created_at + interval '1 hour', '{}'::jsonb FROM tickets
      UNION ALL SELECT id, 'confirmed', 'console:ani', closed_at - interval '1 hour', '{"result":"ok"}'::jsonb
        FROM tickets WHERE closed_at IS NOT NULL
      UNION ALL SELECT id, 'closed', 'console:ani', closed_at, '{"offer":true}'::jsonb
        FROM tickets WHERE closed_at IS NOT NULL`);
    await core.db.execute(sql`ANALYZE`);
    const period = currentShift(core, now);
    await digestFigures(core, now, period); // warm up
    const start = performance.now();
    for (let i = 0; i < RUNS; i++) await digestFigures(core, now, period);
    return { tickets: count, ms: (performance.now() - start) / RUNS };
  } finally {
    await close();
    await drop();
  }
}

const small = await measure(7);
const large = await measure(140);
console.log(`digest, ${small.tickets} tickets of history: ${small.ms.toFixed(1)} ms`);
console.log(`digest, ${large.tickets} tickets of history: ${large.ms.toFixed(1)} ms`);
console.log(
  `ratio for ${(large.tickets / small.tickets).toFixed(0)}× the history: ${(large.ms / small.ms).toFixed(2)}×`,
);
