import { and, desc, eq, gte, inArray, isNull, lt, lte, sql } from 'drizzle-orm';
import cron from 'node-cron';
import type { Core } from '../app.js';
import { escalations, ticketEvents, tickets } from '../db/schema.js';
import { type KpiEvent, median, type TicketKpi, ticketKpi } from '../domain/kpi.js';
import type { Reply, ReplyField } from '../reply.js';
import { durationLabel, formatTime, mention, statusLabel } from './present.js';
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
  /** SOP §7 KPIs over the tickets closed in the period (definitions: src/domain/kpi.ts, README). */
  kpi: KpiFigures;
  /** `buka-data` in the period: who saw full customer data, how many times, most first. */
  reveals: { who: string; n: number }[];
  /** `konfirmasi … puas=`: ratings of the confirmations recorded in the period. */
  satisfaction: SatisfactionFigures;
}

/** Ratings of confirmations in a period: the average and how many confirmations carried one. */
export interface Satisfaction {
  /** Average rating (one decimal); null when none was rated. */
  average: number | null;
  /** Confirmations with a rating, of all confirmations. */
  rated: Ratio;
}

export interface SatisfactionFigures {
  all: Satisfaction;
  /** Per team of the ticket, and per agent who recorded the confirmation (most confirmations first). */
  perTeam: ({ team: string } & Satisfaction)[];
  perAgent: ({ agent: string } & Satisfaction)[];
}

export interface KpiFigures {
  /** A7: judged at the customer's confirmation (at closing for the no-contact paths), pauses left out. */
  closedWithinSla: Ratio;
  /** A10, A11, A13: closed the standard way (confirmed `ok`, offer made) rather than by an exception path. */
  closedPerStandard: Ratio;
  /** Closed as TIDAK-TERHUBUNG after the failed attempts: counted apart. */
  closedNoContact: number;
  /** A8: had a contact and no running, unpaused stretch without one longer than POSKO_INFORM_EVERY_MINUTES. */
  informedOnTime: Ratio;
  /** A5: confirmed `ok` on the first connected call. */
  firstContactResolution: Ratio;
  /** P5.3: tickets with a repeat contact or a reopen. */
  repeatContacts: Ratio;
  /** Outbound call attempts per closed ticket. */
  callAttemptsPerTicket: number | null;
  /** P5.9: median minutes from opening to the first contact, all closed tickets; Infinity when most had none. */
  medianFirstContactMinutes: number | null;
  /** P5.10: median minutes from request to decision, escalations decided in the period. */
  medianEscalationDecisionMinutes: number | null;
  /** P5.10: requests to a TL in the period that moved up to the supervisors unanswered. */
  escalationsMovedUp: Ratio;
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

  const [
    byStatus,
    [opened],
    [closedRow],
    [breachedOpen],
    [breachedInPeriod],
    [waiting],
    [overdue],
    load,
    kpi,
    reveals,
    satisfaction,
  ] = await Promise.all([
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
      // A paused clock pushes the due time on: only a due time reached before the pause counts.
      .where(
        and(
          inArray(tickets.status, RUNNING),
          lte(tickets.slaDueAt, now),
          sql`(${tickets.pausedSince} IS NULL OR ${tickets.slaDueAt} <= ${tickets.pausedSince})`,
        ),
      ),
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
          isNull(tickets.pausedSince),
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
    db
      .select({ who: ticketEvents.actor, n })
      .from(ticketEvents)
      .where(and(eq(ticketEvents.type, 'data_revealed'), gte(ticketEvents.at, from), lt(ticketEvents.at, to)))
      .groupBy(ticketEvents.actor)
      .orderBy(desc(n), ticketEvents.actor),
    satisfactionFigures(core, period),
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
    reveals: reveals.map((r) => ({ who: r.who, n: Number(r.n) })),
    waitingEscalations: Number(waiting?.n ?? 0),
    overdueUpdates: Number(overdue?.n ?? 0),
    load: load.map((r) => ({ assignee: r.assignee, open: Number(r.open) })),
    kpi,
    satisfaction,
  };
}

/**
 * `konfirmasi … puas=`: the `confirmed` events of the period (ticket_events_type_at_idx), grouped
 * per team and per agent who recorded them, with the rating from the payload.
 */
export async function satisfactionFigures(core: Core, { from, to }: DigestPeriod): Promise<SatisfactionFigures> {
  const rating = sql`(${ticketEvents.payload}->>'rating')::int`;
  const rows = await core.db
    .select({
      team: tickets.team,
      agent: ticketEvents.actor,
      confirmations: sql<number>`count(*)::int`,
      rated: sql<number>`count(${rating})::int`,
      sum: sql<number>`coalesce(sum(${rating}), 0)::int`,
    })
    .from(ticketEvents)
    .innerJoin(tickets, eq(tickets.id, ticketEvents.ticketId))
    .where(and(eq(ticketEvents.type, 'confirmed'), gte(ticketEvents.at, from), lt(ticketEvents.at, to)))
    .groupBy(tickets.team, ticketEvents.actor);
  type Sums = { confirmations: number; rated: number; sum: number };
  const add = (into: Map<string, Sums>, key: string, r: Sums) => {
    const s = into.get(key) ?? { confirmations: 0, rated: 0, sum: 0 };
    into.set(key, {
      confirmations: s.confirmations + Number(r.confirmations),
      rated: s.rated + Number(r.rated),
      sum: s.sum + Number(r.sum),
    });
  };
  const teams = new Map<string, Sums>();
  const agents = new Map<string, Sums>();
  const all = new Map<string, Sums>();
  for (const r of rows) {
    add(teams, r.team, r);
    add(agents, r.agent, r);
    add(all, '', r);
  }
  const of = (s: Sums | undefined): Satisfaction => ({
    average: s && s.rated > 0 ? Math.round((10 * s.sum) / s.rated) / 10 : null,
    rated: { n: s?.rated ?? 0, of: s?.confirmations ?? 0 },
  });
  const sorted = (m: Map<string, Sums>) =>
    [...m].sort(([a, x], [b, y]) => y.confirmations - x.confirmations || a.localeCompare(b));
  return {
    all: of(all.get('')),
    perTeam: sorted(teams).map(([team, s]) => ({ team, ...of(s) })),
    perAgent: sorted(agents).map(([agent, s]) => ({ agent, ...of(s) })),
  };
}

/** `4,3 ★ · dinilai 60% (3/5)`; a dash when nothing was confirmed. */
export function satisfactionLine(core: Pick<Core, 't'>, s: Satisfaction): string {
  if (s.rated.of === 0) return '–';
  const average = s.average === null ? '–' : core.t('digest.satisfactionAverage', { value: s.average.toFixed(1) });
  return `${average} · ${core.t('digest.satisfactionRated', { share: pct(s.rated) })}`;
}

/** The satisfaction fields: all, per team, per agent (`@ani 4.5 ★ · dinilai 100% (2/2)`). */
export function satisfactionFields(core: Core, s: SatisfactionFigures): ReplyField[] {
  const { t } = core;
  return [
    { label: t('digest.satisfaction'), value: satisfactionLine(core, s.all) },
    ...(s.perTeam.length > 1
      ? [
          {
            label: t('digest.satisfactionPerTeam'),
            value: s.perTeam
              .map((x) => `${t('report.team', { team: x.team })} ${satisfactionLine(core, x)}`)
              .join('\n'),
          },
        ]
      : []),
    ...(s.perAgent.length > 0
      ? [
          {
            label: t('digest.satisfactionPerAgent'),
            value: s.perAgent.map((x) => `${mention(x.agent)} ${satisfactionLine(core, x)}`).join('\n'),
          },
        ]
      : []),
  ];
}

const KPI_EVENTS = [
  'opened',
  'informed',
  'confirmed',
  'call_attempt',
  'closed',
  'reopened',
  'repeat_contact',
  'sla_paused',
  'sla_resumed',
];

/**
 * The events of the tickets closed in the period (tickets_closed_idx, ticket_events_ticket_idx),
 * judged per ticket by src/domain/kpi.ts; escalation figures from the escalations table. Exported
 * for the reporting room (src/reports/): the previous shift's KPIs and the KPIs per team.
 */
export async function kpiFigures(
  core: Core,
  { from, to }: DigestPeriod,
  informEvery: number,
  /** One team's tickets only (the chart's bars per team); the escalation figures stay global. */
  team?: string,
): Promise<KpiFigures> {
  const closedInPeriod = core.db
    .select({ id: tickets.id })
    .from(tickets)
    .where(and(gte(tickets.closedAt, from), lt(tickets.closedAt, to), team ? eq(tickets.team, team) : undefined));
  const [rows, decided, requested] = await Promise.all([
    core.db
      .select({
        ticketId: ticketEvents.ticketId,
        type: ticketEvents.type,
        at: ticketEvents.at,
        payload: ticketEvents.payload,
      })
      .from(ticketEvents)
      .where(and(inArray(ticketEvents.ticketId, closedInPeriod), inArray(ticketEvents.type, KPI_EVENTS)))
      .orderBy(ticketEvents.ticketId, ticketEvents.id),
    core.db
      .select({ requestedAt: escalations.requestedAt, decidedAt: escalations.decidedAt })
      .from(escalations)
      .where(
        and(
          inArray(escalations.status, ['approved', 'rejected']),
          gte(escalations.decidedAt, from),
          lt(escalations.decidedAt, to),
        ),
      ),
    core.db
      .select({ level: escalations.level, movedAt: escalations.movedAt })
      .from(escalations)
      .where(and(gte(escalations.requestedAt, from), lt(escalations.requestedAt, to))),
  ]);
  const byTicket = new Map<number, KpiEvent[]>();
  for (const r of rows) {
    const list = byTicket.get(r.ticketId) ?? [];
    list.push(r);
    byTicket.set(r.ticketId, list);
  }
  const verdicts = [...byTicket.values()].map((events) => ticketKpi(events, informEvery)).filter((v) => v !== null);
  const count = (pick: (v: TicketKpi) => boolean | null): Ratio => ({
    n: verdicts.filter((v) => pick(v) === true).length,
    of: verdicts.filter((v) => pick(v) !== null).length,
  });
  const attempts = verdicts.reduce((sum, v) => sum + v.callAttempts, 0);
  const toTl = requested.filter((e) => e.level === 'tl' || e.movedAt !== null);
  return {
    closedWithinSla: count((v) => v.withinSla),
    closedPerStandard: count((v) => v.path === 'standard'),
    closedNoContact: verdicts.filter((v) => v.path === 'no_contact').length,
    informedOnTime: count((v) => v.informedOnTime),
    firstContactResolution: count((v) => v.firstContactResolution),
    repeatContacts: count((v) => v.repeatContact),
    callAttemptsPerTicket: verdicts.length ? Math.round((10 * attempts) / verdicts.length) / 10 : null,
    medianFirstContactMinutes: median(verdicts.map((v) => v.firstContactMinutes)),
    medianEscalationDecisionMinutes: median(
      decided.map((e) => ((e.decidedAt as Date).getTime() - e.requestedAt.getTime()) / 60_000),
    ),
    escalationsMovedUp: { n: toTl.filter((e) => e.movedAt !== null).length, of: toTl.length },
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

export const pct = (r: Ratio) => (r.of === 0 ? '–' : `${Math.round((100 * r.n) / r.of)}% (${r.n}/${r.of})`);

/** The digest as a reply: short lines, most urgent first, so it reads at a glance on a phone. */
export function renderDigest(core: Core, f: DigestFigures): Reply {
  const { t } = core;
  const statuses = Object.entries(f.openByStatus)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([s, n]) => `${statusLabel(core, s)} ${n}`)
    .join(' · ');
  const period = `${formatTime(core, f.period.from)} – ${formatTime(core, f.period.to)}`;
  const load = f.load.map((l) => `${mention(l.assignee)} ${l.open}`).join(' · ') || '–';
  const minutes = (m: number | null) =>
    m === null ? '–' : !Number.isFinite(m) ? t('digest.never') : durationLabel(core, m * 60_000);
  const k = f.kpi;
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
    { label: t('digest.kpiSla'), value: pct(k.closedWithinSla) },
    {
      label: t('digest.kpiStandard'),
      value: `${pct(k.closedPerStandard)}${k.closedNoContact ? ` · ${t('digest.noContact', { n: k.closedNoContact })}` : ''}`,
    },
    { label: t('digest.kpiInformed'), value: pct(k.informedOnTime) },
    { label: t('digest.kpiFcr'), value: pct(k.firstContactResolution) },
    { label: t('digest.kpiRepeat'), value: pct(k.repeatContacts) },
    { label: t('digest.kpiAttempts'), value: k.callAttemptsPerTicket === null ? '–' : String(k.callAttemptsPerTicket) },
    { label: t('digest.kpiFirstUpdate'), value: minutes(k.medianFirstContactMinutes) },
    {
      label: t('digest.kpiDecision'),
      value: `${minutes(k.medianEscalationDecisionMinutes)} · ${t('digest.movedUp', { share: pct(k.escalationsMovedUp) })}`,
    },
    { label: t('digest.reveals'), value: f.reveals.map((r) => `${mention(r.who)} ${r.n}`).join(' · ') || '–' },
    ...satisfactionFields(core, f.satisfaction),
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
