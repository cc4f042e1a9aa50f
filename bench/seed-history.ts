/**
 * A year of contact-center history in PostgreSQL, generated set-based (INSERT … SELECT FROM
 * generate_series), for the digest benchmark (B4). Tickets arrive evenly over 365 days up to `now`;
 * most are closed within their SLA after a confirmation and the standard offer; a backlog of a few
 * thousand stays open, escalated or confirmed. Events are the kinds the product writes (opened,
 * informed, confirmed, closed, escalations, SLA alerts, MONITA updates, notes), in time order, so the
 * digest's KPIs compute real figures. Random draws are seeded: the same arguments give the same data.
 *
 * Run alone: npx tsx bench/seed-history.ts --tickets 1000000 --events 5000000 --url postgres://…/db
 * (creates the database when missing, applies the migrations, refuses a database that has tickets).
 */
import { pathToFileURL } from 'node:url';
import postgres from 'postgres';
import { openDatabase } from '../src/db/index.js';
import { DEFAULT_SLA_HOURS } from '../src/domain/sla.js';
import { BENCH_DATA_KEY } from './support/private-db.js';

export interface SeedOptions {
  url: string;
  tickets: number;
  events: number;
  /** The end of the history: no event lies after it. */
  now: Date;
  log?: (line: string) => void;
}

export interface SeedResult {
  tickets: number;
  events: number;
  seconds: number;
}

/** The history ends at the 15:00 WIB digest of 28 Nov 2026 (the shift 07:00–15:00 WIB). */
export const HISTORY_END = new Date('2026-11-28T08:00:00Z');
const AGENTS = 48;
const TEAMS = ['a', 'b', 'c', 'd'];
/** Not-closed backlog, as a share of all tickets (8,000 of 1,000,000), left over from the last 30 days. */
const BACKLOG_SHARE = 0.008;
const BACKLOG_DAYS = 30;
/** Bump when the generated data changes, so a kept benchmark database is seeded again. */
export const SEED_VERSION = 3;
/** Distinct customers, as a share of tickets: a customer calls about three times a year. */
const CUSTOMER_SHARE = 0.35;

export async function seedHistory(opts: SeedOptions): Promise<SeedResult> {
  const log = opts.log ?? (() => {});
  const started = performance.now();
  await ensureDatabase(opts.url);
  const database = await openDatabase({ url: opts.url, dataDir: '', dataKeys: { current: BENCH_DATA_KEY } });
  try {
    await database.migrate();
  } finally {
    await database.close();
  }
  // One session: the plan lives in temporary tables, and the big sorts get memory.
  const sql = postgres(opts.url, { max: 1, onnotice: () => {}, idle_timeout: 0 });
  try {
    const [existing] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM (SELECT 1 FROM tickets LIMIT 1) t`;
    if ((existing?.n ?? 0) > 0) throw new Error('seed-history: the database already has tickets');
    await sql.unsafe(`SET work_mem = '256MB'; SET maintenance_work_mem = '512MB'; SET synchronous_commit = off`);
    const step = async (label: string, text: string) => {
      const t0 = performance.now();
      await sql.unsafe(text);
      log(`  ${label}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    };
    await step('plan', planSql(opts));
    await step('roster', rosterSql(opts.now));
    await step('tickets', ticketsSql());
    await step('escalations', escalationsSql());
    await step('events (staged)', eventsSql());
    await step('notes to the target', notesSql(opts.events));
    await step(
      'events (in time order)',
      `
      INSERT INTO ticket_events (ticket_id, type, actor, at, payload)
      SELECT ticket_id, type, actor, at, payload FROM ev ORDER BY at, ticket_id, seq`,
    );
    await step(
      'sequences',
      `
      SELECT setval('tickets_id_seq', (SELECT max(id) FROM tickets));
      SELECT setval('escalations_id_seq', greatest(1, (SELECT count(*) FROM escalations)))`,
    );
    // What autovacuum does soon after a bulk insert anyway (statistics, visibility map): done here so
    // the first run and a rerun on a kept database measure the same state.
    await step('vacuum analyze', 'VACUUM (ANALYZE)');
    const [counts] = await sql<{ tickets: number; events: number }[]>`
      SELECT (SELECT count(*) FROM tickets)::int AS tickets, (SELECT count(*) FROM ticket_events)::int AS events`;
    return {
      tickets: counts?.tickets ?? 0,
      events: counts?.events ?? 0,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const adminUrl = new URL(url);
  adminUrl.pathname = '/postgres';
  const admin = postgres(adminUrl.toString(), { max: 1, onnotice: () => {} });
  try {
    const rows = await admin`SELECT 1 FROM pg_database WHERE datname = ${name}`;
    if (rows.length === 0) await admin.unsafe(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
  } finally {
    await admin.end();
  }
}

const slaValues = () =>
  Object.entries(DEFAULT_SLA_HOURS)
    .flatMap(([service, queues]) => Object.entries(queues).map(([queue, h]) => `('${service}', '${queue}', ${h})`))
    .join(', ');

/**
 * One row per ticket with every random draw and derived time, so tickets, escalations and events
 * are consistent with each other. Lifetimes: most tickets close in a fraction of their SLA, a slow
 * 6 % run 0.4–1.6× the SLA. Customer updates start 5–90 min after opening and repeat every
 * 55–165 min (the on-time rule is 120 min); one ticket in ten never gets one.
 */
function planSql({ tickets, now }: SeedOptions): string {
  const n = Math.max(1, Math.round(tickets));
  const backlog = Math.max(3, Math.round(n * BACKLOG_SHARE));
  const window = Math.max(2 * backlog, Math.round((n * BACKLOG_DAYS) / 365));
  const customers = Math.max(10, Math.round(n * CUSTOMER_SHARE));
  const end = `'${now.toISOString()}'::timestamptz`;
  return `
    SELECT setseed(0.2026);
    CREATE TEMP TABLE draw AS
    SELECT g AS id,
      ${end} - interval '365 days' + (g - 1 + random()) * (365 * 86400.0 / ${n}) * interval '1 second' AS created_at,
      random() AS r_service, random() AS r_queue, random() AS r_agent, random() AS r_life, random() AS r_slow,
      random() AS r_first, random() AS r_gap, random() AS r_esc, random() AS r_state, random() AS r_cust,
      random() AS r_backlog, random() AS r_level, random() AS r_reject, random() AS r_import, random() AS r_fail,
      random() AS r_monita
    FROM generate_series(1, ${n}) g;

    CREATE TEMP TABLE sla (service text, queue text, hours int);
    INSERT INTO sla VALUES ${slaValues()};

    CREATE TEMP TABLE plan AS
    WITH a AS (
      SELECT d.*,
        CASE WHEN r_service < 0.55 THEN 'indihome' WHEN r_service < 0.75 THEN 'internet'
             WHEN r_service < 0.85 THEN 'telepon' WHEN r_service < 0.93 THEN 'global' ELSE 'imes' END AS service,
        floor(r_agent * ${AGENTS})::int AS agent_no
      FROM draw d
    ), b AS (
      SELECT a.*,
        CASE WHEN service IN ('global', 'imes') THEN CASE WHEN r_queue < 0.85 THEN service ELSE 'violet' END
             WHEN r_queue < 0.78 THEN 'reguler' ELSE 'violet' END AS queue,
        'slack:UAG' || lpad(agent_no::text, 3, '0') AS assignee,
        (ARRAY[${TEAMS.map((t) => `'${t}'`).join(', ')}])[1 + agent_no % ${TEAMS.length}] AS team,
        CASE WHEN r_slow < 0.06 THEN 0.4 + r_life * 1.2 ELSE -ln(1 - r_life * 0.999) * 0.08 END AS life_share,
        id > ${n - window} AND r_backlog < ${backlog / window} AS stuck
      FROM a
    ), c AS (
      SELECT b.*, s.hours,
        b.created_at + s.hours * interval '1 hour' AS sla_due_at,
        b.created_at + greatest(8, s.hours * 60 * life_share) * interval '1 minute' AS done_at
      FROM b JOIN sla s USING (service, queue)
    ), d AS (
      SELECT c.*, stuck OR done_at > ${end} AS running FROM c
    ), e AS (
      SELECT d.*,
        CASE WHEN NOT running THEN 'closed' WHEN r_state < 0.5 THEN 'open'
             WHEN r_state < 0.8 THEN 'escalated' ELSE 'confirmed' END AS status,
        CASE WHEN running THEN NULL ELSE done_at END AS closed_at,
        CASE WHEN running THEN ${end} ELSE done_at END AS end_at,
        -- A stuck ticket's customer hears nothing once a day has passed since it should have closed.
        CASE WHEN stuck THEN least(${end}, done_at + interval '1 day') WHEN running THEN ${end} ELSE done_at END
          AS inform_until
      FROM d
    )
    SELECT id, created_at, service, queue, team, assignee, status, sla_due_at, closed_at, end_at, inform_until, hours,
      CASE WHEN status = 'closed' THEN floor(r_cust * ${customers})::bigint ELSE ${customers} + id END AS customer_no,
      -- Customer updates: the first after first_min, then one every gap_min, until shortly before the end.
      CASE WHEN r_first < 0.9 THEN 5 + r_first / 0.9 * 85 END AS first_min,
      55 + r_gap * 110 AS gap_min,
      status = 'escalated' OR r_esc < 0.10 OR (status = 'open' AND r_esc < 0.15) AS escalation,
      status = 'open' AND r_esc < 0.15 AS pending,
      (ARRAY['tl', 'tl', 'tl', 'spv', 'spv', 'telkom'])[1 + floor(r_level * 6)::int] AS level,
      status <> 'escalated' AND r_reject < 0.15 AS rejected,
      status = 'closed' AND r_import < 0.03 AS imported,
      status IN ('closed', 'confirmed') AND r_fail < 0.06 AS failed_first,
      service IN ('indihome', 'internet', 'telepon') AND r_monita < 0.25 AS monita
    FROM e;
    ALTER TABLE plan ADD PRIMARY KEY (id);

    CREATE TEMP TABLE informs AS
    SELECT p.id, p.created_at + (p.first_min + j * p.gap_min) * interval '1 minute' AS at, j
    FROM plan p,
      generate_series(0, floor((extract(epoch FROM p.inform_until - p.created_at) / 60 - 2 - p.first_min) / p.gap_min)::int) j
    WHERE p.first_min IS NOT NULL AND p.created_at + (p.first_min + 2) * interval '1 minute' < p.inform_until;
    ANALYZE plan; ANALYZE informs;`;
}

function rosterSql(now: Date): string {
  const at = `'${now.toISOString()}'::timestamptz`;
  return `
    INSERT INTO roster (user_key, role, team, queue, updated_at, updated_by)
    SELECT 'slack:UAG' || lpad(n::text, 3, '0'), 'agent', (ARRAY['a', 'b', 'c', 'd'])[1 + n % 4],
      CASE WHEN n % 5 = 0 THEN 'violet' ELSE 'reguler' END, ${at} - interval '400 days', 'seed'
    FROM generate_series(0, ${AGENTS - 1}) n
    UNION ALL
    SELECT 'slack:UTL' || t, 'team_leader', t, 'reguler', ${at} - interval '400 days', 'seed'
    FROM unnest(ARRAY['a', 'b', 'c', 'd']) t
    UNION ALL
    SELECT 'slack:USPV' || n, 'supervisor', 'a', 'reguler', ${at} - interval '400 days', 'seed'
    FROM generate_series(1, 2) n`;
}

function ticketsSql(): string {
  return `
    INSERT INTO tickets (id, service, queue, team, customer_id, customer_name, contact, complaint, status,
      escalation_level, assignee, opened_by, platform, channel, monita_id, monita_status, repeat_count,
      sla_due_at, last_informed_at, resolution_code, created_at, updated_at, closed_at)
    SELECT p.id, p.service, p.queue, p.team,
      CASE p.service WHEN 'indihome' THEN '12' || lpad(p.customer_no::text, 10, '0')
        WHEN 'internet' THEN '47' || lpad(p.customer_no::text, 8, '0')
        WHEN 'telepon' THEN '021' || lpad(p.customer_no::text, 8, '0')
        WHEN 'global' THEN 'GLB-' || lpad(p.customer_no::text, 7, '0')
        ELSE 'IMES-' || lpad(p.customer_no::text, 7, '0') END,
      (ARRAY['Sari Dewi', 'Budi Santoso', 'Rina Wati', 'Agus Salim', 'Dewi Lestari', 'Joko Susilo',
             'PT Maju Jaya', 'CV Sinar Abadi', 'Nur Aini', 'Hendra Gunawan'])[1 + p.customer_no % 10],
      '+62812' || lpad((p.customer_no * 7919 % 100000000)::text, 8, '0'),
      (ARRAY['Internet mati', 'Internet lambat', 'Telepon tidak ada nada', 'TV tidak ada siaran',
             'Link down', 'Packet loss tinggi'])[1 + p.id % 6],
      p.status,
      CASE WHEN p.escalation AND NOT p.pending AND NOT p.rejected THEN p.level END,
      p.assignee, p.assignee, 'slack', 'C0TEAM' || upper(p.team),
      CASE WHEN p.monita THEN 'IN' || (500000000 + p.id) END,
      CASE WHEN p.monita THEN CASE WHEN p.status = 'closed' THEN 'CLOSED' ELSE 'REPAIRING' END END,
      0, p.sla_due_at, i.last_at,
      CASE WHEN p.status = 'closed' THEN (ARRAY['FIX-ODP', 'FIX-MODEM', 'FIX-KABEL', 'CONF-USER', NULL])[1 + p.id % 5] END,
      p.created_at, coalesce(p.closed_at, greatest(p.created_at, i.last_at)), p.closed_at
    FROM plan p LEFT JOIN (SELECT id, max(at) AS last_at FROM informs GROUP BY id) i USING (id)
    ORDER BY p.id`;
}

function escalationsSql(): string {
  return `
    INSERT INTO escalations (ticket_id, level, reason, requested_by, requested_at, status, decided_by,
      decided_at, decision_note)
    SELECT id, level, 'gangguan massal', assignee, requested_at,
      CASE WHEN pending THEN 'pending' WHEN rejected THEN 'rejected' ELSE 'approved' END,
      CASE WHEN NOT pending THEN decider END, CASE WHEN NOT pending THEN decided_at END,
      CASE WHEN rejected AND NOT pending THEN 'tangani di level agent' END
    FROM (SELECT p.*, p.created_at + (p.end_at - p.created_at) * 0.3 AS requested_at,
            least(p.created_at + (p.end_at - p.created_at) * 0.3 + interval '20 minutes', p.end_at - interval '1 minute')
              AS decided_at,
            CASE WHEN p.level = 'tl' THEN 'slack:UTL' || p.team ELSE 'slack:USPV1' END AS decider
          FROM plan p WHERE p.escalation) x
    ORDER BY requested_at`;
}

/** Every event but the filler notes, staged unordered; the final insert writes them in time order. */
function eventsSql(): string {
  const mid = (share: number) => `p.created_at + (p.end_at - p.created_at) * ${share}`;
  return `
    CREATE TEMP TABLE ev (seq int, ticket_id bigint, type text, actor text, at timestamptz, payload jsonb);
    INSERT INTO ev
    SELECT 0, id, 'opened', assignee, created_at,
      jsonb_build_object('service', service, 'queue', queue, 'relatedTo', NULL,
        'monitaId', CASE WHEN monita THEN 'IN' || (500000000 + id) END)
    FROM plan p
    UNION ALL
    SELECT 10 + i.j, i.id, 'informed', p.assignee, i.at, '{"text": "teknisi sedang menangani"}'::jsonb
    FROM informs i JOIN plan p USING (id)
    UNION ALL
    SELECT 1, id, 'monita_update', 'posko:monita', ${mid(0.5)},
      jsonb_build_object('monitaId', 'IN' || (500000000 + id), 'status', 'REPAIRING', 'stage', 'teknisi')
    FROM plan p WHERE monita
    UNION ALL
    SELECT 2, id, 'escalation_requested', assignee, ${mid(0.3)}, jsonb_build_object('level', level, 'text', 'gangguan massal')
    FROM plan p WHERE escalation
    UNION ALL
    SELECT 3, id, CASE WHEN rejected THEN 'escalation_rejected' ELSE 'escalation_approved' END,
      CASE WHEN level = 'tl' THEN 'slack:UTL' || team ELSE 'slack:USPV1' END,
      least(${mid(0.3)} + interval '20 minutes', end_at - interval '1 minute'), jsonb_build_object('level', level)
    FROM plan p WHERE escalation AND NOT pending
    UNION ALL
    SELECT 4, id, 'sla_warning', 'posko', created_at + hours * interval '45 minutes',
      jsonb_build_object('dueAt', sla_due_at)
    FROM plan p WHERE created_at + hours * interval '45 minutes' < end_at
    UNION ALL
    SELECT 5, id, 'sla_breach', 'posko', sla_due_at, jsonb_build_object('dueAt', sla_due_at)
    FROM plan p WHERE sla_due_at < end_at
    UNION ALL
    SELECT 6, id, 'confirmed', assignee, ${mid(0.5)}, '{"result": "gagal", "text": "masih gangguan"}'::jsonb
    FROM plan p WHERE failed_first
    UNION ALL
    SELECT 7, id, 'confirmed', assignee,
      CASE WHEN status = 'closed' THEN end_at - interval '3 minutes' ELSE ${mid(0.8)} END,
      '{"result": "ok", "text": ""}'::jsonb
    FROM plan p WHERE status = 'confirmed' OR (status = 'closed' AND NOT imported)
    UNION ALL
    SELECT 8, id, 'closed', assignee, closed_at,
      CASE WHEN imported THEN '{"offer": false, "code": "IMPORT"}'::jsonb
        ELSE jsonb_build_object('offer', true, 'code', NULL, 'withinSla', closed_at <= sla_due_at) END
    FROM plan p WHERE status = 'closed'`;
}

/** Agent notes on random tickets until the table holds the target number of events. */
function notesSql(target: number): string {
  return `
    INSERT INTO ev
    SELECT 9, p.id, 'note', p.assignee, p.created_at + (p.end_at - p.created_at) * x.r,
      '{"text": "cek ulang ODP"}'::jsonb
    FROM (SELECT 1 + floor(random() * (SELECT count(*) FROM plan))::bigint AS id, random() AS r
          FROM generate_series(1, greatest(0, ${Math.round(target)} - (SELECT count(*) FROM ev))::int)) x
    JOIN plan p USING (id)`;
}

function parseArgs(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i] ?? '');
    if (!m?.[1]) throw new Error(`seed-history: unexpected argument ${argv[i]}`);
    out[m[1]] = m[2] ?? argv[++i] ?? '';
  }
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const args = parseArgs(process.argv.slice(2));
    const url = args.url ?? process.env.BENCH_DATABASE_URL;
    if (!url) throw new Error('seed-history: --url postgres://… is required');
    const result = await seedHistory({
      url,
      tickets: Number(args.tickets ?? 1_000_000),
      events: Number(args.events ?? 5_000_000),
      now: args.now ? new Date(args.now) : HISTORY_END,
      log: (line) => console.log(line),
    });
    console.log(`seeded ${result.tickets} tickets, ${result.events} events in ${result.seconds.toFixed(1)} s`);
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  }
}
