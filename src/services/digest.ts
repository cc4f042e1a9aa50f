import { and, desc, eq, gte, inArray, lt, lte, sql } from 'drizzle-orm';
import cron from 'node-cron';
import type { Core } from '../app.js';
import { escalations, tickets } from '../db/schema.js';
import type { Reply, ReplyField } from '../reply.js';
import { formatTime, mention, statusLabel } from './present.js';
import { at } from './sql-time.js';

export interface DigestPeriod {
  from: Date;
  to: Date;
}

/** `n` of `of`; `of` 0 means "nothing to measure" and is shown as a dash, never as 0 %. */
export interface Ratio {
  n: number;
  of: number;
}

export interface DigestFigures {
  period: DigestPeriod;
  openByStatus: Record<string, number>;
  openTotal: number;
  opened: number;
  closed: number;
  /** Tickets still running past their SLA now, and tickets whose SLA ran out during the period unmet. */
  breachedOpen: number;
  breachedInPeriod: number;
  waitingEscalations: number;
  /** Running tickets whose customer has not been told anything for POSKO_INFORM_EVERY_MINUTES. */
  overdueUpdates: number;
  /** Open tickets per assignee, busiest first. */
  load: { assignee: string; open: number }[];
  /** SOP §7 KPIs over the tickets closed in the period. */
  kpi: {
    closedWithinSla: Ratio;
    /** A10 + A11 + A13: the customer confirmed `ok` and the standard offer was made. */
    closedPerStandard: Ratio;
    /** A8: from opening to closing, no stretch longer than POSKO_INFORM_EVERY_MINUTES without a customer update. */
    informedOnTime: Ratio;
    /** P5.9: median minutes from opening to the first customer update (tickets that had one). */
    medianFirstUpdateMinutes: number | null;
  };
}

const RUNNING = ['open', 'escalated'];
// Not-closed spelled as a list: `status <> 'closed'` cannot use the (status, …) indexes.
const NOT_CLOSED = ['open', 'escalated', 'confirmed'];
const LOAD_LINES = 8;

/** Every figure comes from an aggregate query on indexed columns; no ticket list is loaded. */
export async function digestFigures(core: Core, now: Date, period: DigestPeriod): Promise<DigestFigures> {
  const { db } = core;
  const { from, to } = period;
  const informEvery = core.config.POSKO_INFORM_EVERY_MINUTES;
  const n = sql<number>`count(*)::int`;

  const [byStatus, [opened], [closedRow], [breachedOpen], [breachedInPeriod], [waiting], [overdue], load, kpi] =
    await Promise.all([
      db
        .select({ status: tickets.status, n })
        .from(tickets)
        .where(inArray(tickets.status, NOT_CLOSED))
        .groupBy(tickets.status),
      db
        .select({ n })
        .from(tickets)
        .where(and(gte(tickets.createdAt, from), lt(tickets.createdAt, to))),
      db
        .select({ n })
        .from(tickets)
        .where(and(gte(tickets.closedAt, from), lt(tickets.closedAt, to))),
      db
        .select({ n })
        .from(tickets)
        .where(and(inArray(tickets.status, RUNNING), lte(tickets.slaDueAt, now))),
      db
        .select({ n })
        .from(tickets)
        .where(
          and(
            inArray(tickets.status, [...NOT_CLOSED, 'closed']), // lets (status, sla_due_at) serve the range
            gte(tickets.slaDueAt, from),
            lt(tickets.slaDueAt, to),
            sql`(${tickets.closedAt} IS NULL OR ${tickets.closedAt} > ${tickets.slaDueAt})`,
          ),
        ),
      db.select({ n }).from(escalations).where(eq(escalations.status, 'pending')),
      db
        .select({ n })
        .from(tickets)
        .where(
          and(
            inArray(tickets.status, RUNNING),
            sql`coalesce(${tickets.lastInformedAt}, ${tickets.createdAt}) <= ${at(new Date(now.getTime() - informEvery * 60_000))}`,
          ),
        ),
      db
        .select({ assignee: tickets.assignee, open: n })
        .from(tickets)
        .where(inArray(tickets.status, NOT_CLOSED))
        .groupBy(tickets.assignee)
        .orderBy(desc(n), tickets.assignee)
        .limit(LOAD_LINES),
      kpiFigures(core, period, informEvery),
    ]);

  const openByStatus = Object.fromEntries(byStatus.map((r) => [r.status, Number(r.n)]));
  return {
    period,
    openByStatus,
    openTotal: Object.values(openByStatus).reduce((a, b) => a + b, 0),
    opened: Number(opened?.n ?? 0),
    closed: Number(closedRow?.n ?? 0),
    breachedOpen: Number(breachedOpen?.n ?? 0),
    breachedInPeriod: Number(breachedInPeriod?.n ?? 0),
    waitingEscalations: Number(waiting?.n ?? 0),
    overdueUpdates: Number(overdue?.n ?? 0),
    load: load.map((r) => ({ assignee: r.assignee, open: Number(r.open) })),
    kpi,
  };
}

/**
 * One query over the tickets closed in the period (tickets_closed_idx) and their events
 * (ticket_events_ticket_idx). Customer updates are `informed` events; the on-time check walks the
 * gaps between opening, each update and closing.
 */
async function kpiFigures(core: Core, { from, to }: DigestPeriod, informEvery: number): Promise<DigestFigures['kpi']> {
  const result = await core.db.execute(sql`
    WITH c AS (
      SELECT id, created_at, closed_at, sla_due_at FROM tickets
      WHERE closed_at >= ${at(from)} AND closed_at < ${at(to)}
    ),
    marks AS (
      SELECT c.id, e.at FROM c JOIN ticket_events e ON e.ticket_id = c.id AND e.type = 'informed' AND e.at <= c.closed_at
      UNION ALL SELECT id, created_at FROM c
      UNION ALL SELECT id, closed_at FROM c
    ),
    gaps AS (
      SELECT id, at - lag(at) OVER (PARTITION BY id ORDER BY at) AS gap FROM marks
    ),
    on_time AS (
      SELECT id, bool_and(gap IS NULL OR gap <= make_interval(mins => ${informEvery}::int)) AS ok FROM gaps GROUP BY id
    ),
    first_update AS (
      SELECT c.id, min(e.at) - c.created_at AS wait
      FROM c JOIN ticket_events e ON e.ticket_id = c.id AND e.type = 'informed'
      GROUP BY c.id, c.created_at
    )
    SELECT
      (SELECT count(*) FROM c)::int AS closed,
      (SELECT count(*) FROM c WHERE closed_at <= sla_due_at)::int AS within_sla,
      (SELECT count(*) FROM c WHERE
        EXISTS (SELECT 1 FROM ticket_events e WHERE e.ticket_id = c.id AND e.type = 'closed' AND e.payload->>'offer' = 'true')
        AND (SELECT e.payload->>'result' FROM ticket_events e WHERE e.ticket_id = c.id AND e.type = 'confirmed'
             ORDER BY e.id DESC LIMIT 1) = 'ok')::int AS per_standard,
      (SELECT count(*) FROM on_time WHERE ok)::int AS informed_on_time,
      (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM wait) / 60) FROM first_update)::float8 AS median_first
  `);
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Record<string, unknown>[];
  const r = rows[0] ?? {};
  const closed = Number(r.closed ?? 0);
  const median = r.median_first === null || r.median_first === undefined ? null : Number(r.median_first);
  return {
    closedWithinSla: { n: Number(r.within_sla ?? 0), of: closed },
    closedPerStandard: { n: Number(r.per_standard ?? 0), of: closed },
    informedOnTime: { n: Number(r.informed_on_time ?? 0), of: closed },
    medianFirstUpdateMinutes: median === null ? null : Math.round(median),
  };
}

/**
 * The shift a digest covers: from the previous DIGEST_CRON fire (in POSKO_TIMEZONE) to now. At
 * 15:00 with the default schedule that is 07:00–15:00; `ringkasan` at 10:30 shows 07:00–10:30.
 */
export function currentShift(core: Pick<Core, 'config'>, now: Date): DigestPeriod {
  const matcher = cron.createTask(core.config.DIGEST_CRON, () => {}, { timezone: core.config.POSKO_TIMEZONE });
  try {
    const start = Math.floor(now.getTime() / 60_000) * 60_000 - 60_000;
    for (let m = 0; m < 2 * 24 * 60; m++) {
      const at = new Date(start - m * 60_000);
      if (matcher.match(at)) return { from: at, to: now };
    }
    return { from: new Date(now.getTime() - 24 * 3_600_000), to: now };
  } finally {
    void matcher.destroy();
  }
}

const pct = (r: Ratio) => (r.of === 0 ? '–' : `${Math.round((100 * r.n) / r.of)}% (${r.n}/${r.of})`);

/** The digest as a reply: short lines, most urgent first, so it reads at a glance on a phone. */
export function renderDigest(core: Core, f: DigestFigures): Reply {
  const { t } = core;
  const statuses = Object.entries(f.openByStatus)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([s, n]) => `${statusLabel(core, s)} ${n}`)
    .join(' · ');
  const period = `${formatTime(core, f.period.from)} – ${formatTime(core, f.period.to)}`;
  const load = f.load.map((l) => `${mention(l.assignee)} ${l.open}`).join(' · ') || '–';
  const median =
    f.kpi.medianFirstUpdateMinutes === null ? '–' : t('time.minutes', { m: f.kpi.medianFirstUpdateMinutes });
  const fields: ReplyField[] = [
    { label: t('digest.open'), value: f.openTotal > 0 ? `${f.openTotal} (${statuses})` : '0' },
    { label: t('digest.flow'), value: t('digest.flowValue', { opened: f.opened, closed: f.closed }) },
    {
      label: t('digest.breaches'),
      value: t('digest.breachesValue', { open: f.breachedOpen, period: f.breachedInPeriod }),
    },
    { label: t('digest.waiting'), value: String(f.waitingEscalations) },
    { label: t('digest.overdue'), value: String(f.overdueUpdates) },
    { label: t('digest.load'), value: load },
    { label: t('digest.kpiSla'), value: pct(f.kpi.closedWithinSla) },
    { label: t('digest.kpiStandard'), value: pct(f.kpi.closedPerStandard) },
    { label: t('digest.kpiInformed'), value: pct(f.kpi.informedOnTime) },
    { label: t('digest.kpiFirstUpdate'), value: median },
  ];
  const title = t('digest.title', { period });
  return {
    audience: 'channel',
    ticket: null,
    error: null,
    title,
    // The fallback (notifications, plain clients) is the headline; the fields carry the detail.
    text: `${title}\n${t('digest.summary', { open: f.openTotal, breached: f.breachedOpen, waiting: f.waitingEscalations, overdue: f.overdueUpdates })}`,
    fields,
    mentions: [],
  };
}

/** The digest for `ringkasan` and the digest job; `period` defaults to the current shift. */
export async function buildDigest(
  core: Core,
  now: Date,
  period: DigestPeriod = currentShift(core, now),
): Promise<Reply> {
  return renderDigest(core, await digestFigures(core, now, period));
}
