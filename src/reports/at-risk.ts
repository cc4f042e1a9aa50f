/** The running tickets that need someone now, read through one indexed query (no customer columns). */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Core } from '../app.js';
import { escalations, roster, tickets } from '../db/schema.js';
import type { Queue, ServiceLine } from '../domain/service-lines.js';
import { at } from '../services/sql-time.js';
import { threadLink } from './links.js';
import { byUrgency, LOW_SHARE_LEFT, type RiskReading, readRisk } from './risk.js';

export interface AtRiskTicket {
  number: string;
  team: string;
  assignee: string;
  paused: boolean;
  link: string | null;
  reading: RiskReading;
}

export interface AtRisk {
  /** Most urgent first. */
  tickets: AtRiskTicket[];
  /** Team leaders by team, for the per-TL grouping. */
  leaders: Map<string, string[]>;
}

const RUNNING = ['open', 'escalated'];
/** Enough for any shift's list; the digest shows the first few and counts the rest. */
const MAX_AT_RISK = 500;

export async function ticketsAtRisk(core: Core, now: Date, team?: string): Promise<AtRisk> {
  const informEvery = core.config.POSKO_INFORM_EVERY_MINUTES;
  const clockAt = sql`coalesce(${tickets.pausedSince}, ${at(now)})`;
  // Qualified by hand: drizzle writes a bare "id" in select fields, which the subquery would read as its own.
  const pending = sql<boolean>`exists (select 1 from ${escalations} where ${escalations.ticketId} = "tickets"."id" and ${escalations.status} = 'pending')`;
  // A superset of the pure rule: the stored window (due − opened) includes finished pauses, so it
  // is never shorter than the SLA's hours; readRisk then decides with the service line's hours.
  const candidate = sql`(
    ${tickets.slaDueAt} - ${clockAt} < ${LOW_SHARE_LEFT} * (${tickets.slaDueAt} - ${tickets.createdAt})
    or ${pending}
    or (${tickets.pausedSince} is null and coalesce(${tickets.lastInformedAt}, ${tickets.createdAt}) <= ${at(new Date(now.getTime() - informEvery * 60_000))})
  )`;
  const [rows, leaderRows] = await Promise.all([
    core.db
      .select({
        id: tickets.id,
        number: tickets.number,
        team: tickets.team,
        assignee: tickets.assignee,
        service: tickets.service,
        queue: tickets.queue,
        slaDueAt: tickets.slaDueAt,
        pausedSince: tickets.pausedSince,
        lastInformedAt: tickets.lastInformedAt,
        createdAt: tickets.createdAt,
        cardRef: tickets.cardRef,
        pendingEscalation: pending,
      })
      .from(tickets)
      .where(and(inArray(tickets.status, RUNNING), team ? eq(tickets.team, team) : undefined, candidate))
      .orderBy(sql`${tickets.slaDueAt} - ${clockAt}`, tickets.id)
      .limit(MAX_AT_RISK),
    core.db.select({ userKey: roster.userKey, team: roster.team }).from(roster).where(eq(roster.role, 'team_leader')),
  ]);
  const linkContext = { discordGuildId: core.config.DISCORD_GUILD_ID };
  const read = rows
    .map((r) => ({
      number: r.number,
      team: r.team,
      assignee: r.assignee,
      paused: r.pausedSince !== null,
      link: threadLink(r.cardRef, linkContext),
      reading: readRisk(
        {
          ...r,
          pendingEscalation: Boolean(r.pendingEscalation),
          slaHours: core.sla[r.service as ServiceLine]?.[r.queue as Queue] ?? 24,
        },
        now,
        informEvery,
      ),
    }))
    .filter((t) => t.reading.kinds.length > 0);
  const leaders = new Map<string, string[]>();
  for (const l of leaderRows) leaders.set(l.team, [...(leaders.get(l.team) ?? []), l.userKey]);
  return { tickets: byUrgency(read), leaders };
}
