/** What the digest chart shows, read with aggregate queries (no customer columns). */
import { and, gt, gte, isNull, lt, or, sql } from 'drizzle-orm';
import type { Core } from '../app.js';
import { tickets } from '../db/schema.js';
import { type DigestPeriod, type KpiFigures, kpiFigures } from '../services/digest.js';
import { at } from '../services/sql-time.js';
import { LOW_SHARE_LEFT } from './risk.js';

export type SlaState = 'ok' | 'low' | 'breached';

export interface HourPoint {
  at: Date;
  counts: Record<SlaState, number>;
}

export interface ChartData {
  period: DigestPeriod;
  /** Tickets open at each full hour of the shift and at its end, by where their SLA stood then. */
  hours: HourPoint[];
  /** The KPIs of the tickets each team closed in the shift. */
  teams: { team: string; kpi: KpiFigures }[];
}

const HOUR = 3_600_000;
/** A digest over a long gap (first run, changed schedule) still draws a readable number of bars. */
const MAX_POINTS = 24;

export function hourPoints({ from, to }: DigestPeriod): Date[] {
  const points: Date[] = [];
  const first = Math.ceil(from.getTime() / HOUR) * HOUR;
  for (let t = first; t < to.getTime(); t += HOUR) points.push(new Date(t));
  points.push(to);
  return points.slice(-MAX_POINTS);
}

export async function chartData(core: Core, period: DigestPeriod): Promise<ChartData> {
  const points = hourPoints(period);
  // One scan of the tickets open at some time in the shift, one count per point and state.
  // A clock paused at that hour is frozen where the pause began (only the current pause is stored).
  const fields: Record<string, ReturnType<typeof sql<number>>> = {};
  points.forEach((p, i) => {
    const openAt = sql`${tickets.createdAt} <= ${at(p)} and (${tickets.closedAt} is null or ${tickets.closedAt} > ${at(p)})`;
    const left = sql`(${tickets.slaDueAt} - least(coalesce(${tickets.pausedSince}, ${at(p)}), ${at(p)}))`;
    const breached = sql`${left} <= interval '0'`;
    const low = sql`${left} < ${LOW_SHARE_LEFT} * (${tickets.slaDueAt} - ${tickets.createdAt})`;
    fields[`b${i}`] = sql<number>`count(*) filter (where ${openAt} and ${breached})::int`;
    fields[`l${i}`] = sql<number>`count(*) filter (where ${openAt} and not (${breached}) and ${low})::int`;
    fields[`o${i}`] = sql<number>`count(*) filter (where ${openAt} and not (${breached}) and not (${low}))::int`;
  });
  const [counts] = await core.db
    .select(fields)
    .from(tickets)
    .where(and(lt(tickets.createdAt, period.to), or(isNull(tickets.closedAt), gt(tickets.closedAt, period.from))));
  const teamRows = await core.db
    .selectDistinct({ team: tickets.team })
    .from(tickets)
    .where(and(gte(tickets.closedAt, period.from), lt(tickets.closedAt, period.to)))
    .orderBy(tickets.team);
  const teams = await Promise.all(
    teamRows.map(async ({ team }) => ({
      team,
      kpi: await kpiFigures(core, period, core.config.POSKO_INFORM_EVERY_MINUTES, team),
    })),
  );
  const n = (key: string) => Number((counts as Record<string, unknown> | undefined)?.[key] ?? 0);
  return {
    period,
    hours: points.map((p, i) => ({ at: p, counts: { ok: n(`o${i}`), low: n(`l${i}`), breached: n(`b${i}`) } })),
    teams,
  };
}
