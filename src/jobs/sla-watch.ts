import { and, gt, inArray, isNull, lte, type SQL, sql } from 'drizzle-orm';
import type { Core } from '../app.js';
import { ticketAlerts, tickets } from '../db/schema.js';
import { durationLabel, mention, type Ticket, ticketTime } from '../services/present.js';
import { leadersOf, supervisors } from '../services/roster.js';
import { at } from '../services/sql-time.js';
import { announce, claimAlert, lockRunning } from './alerts.js';
import type { Job, JobResult } from './types.js';

/** Tickets whose SLA clock still runs: a confirmed ticket is fixed and only waits to be closed. */
export const SLA_RUNNING = ['open', 'escalated'] as const;
export const WARN_AT = 0.75;

/**
 * A7: a warning in the ticket's thread at 75 % of the SLA and a breach alert mentioning the team's
 * leader(s) at 100 %, each once per ticket — the `ticket_alerts` (ticket, kind) key decides who
 * sends it, whatever number of instances or reruns.
 */
export async function slaWatch(core: Core, now: Date): Promise<JobResult> {
  const breached = await core.db
    .select()
    .from(tickets)
    .where(
      and(
        inArray(tickets.status, [...SLA_RUNNING]),
        // A paused clock does not run out: its due time moves on when it resumes.
        isNull(tickets.pausedSince),
        lte(tickets.slaDueAt, now),
        sql`NOT EXISTS (SELECT 1 FROM ${ticketAlerts} a WHERE a.ticket_id = ${tickets.id} AND a.kind = 'sla_breach')`,
      ),
    )
    .orderBy(tickets.slaDueAt);
  let breaches = 0;
  for (const ticket of breached) if (await alertBreach(core, ticket, now)) breaches++;

  // Only tickets due within a quarter of the longest SLA can have passed 75 %: bounds the index scan.
  const horizon = new Date(now.getTime() + (1 - WARN_AT) * maxSlaHours(core) * 3_600_000);
  const warned = await core.db
    .select()
    .from(tickets)
    .where(
      and(
        inArray(tickets.status, [...SLA_RUNNING]),
        isNull(tickets.pausedSince),
        gt(tickets.slaDueAt, now),
        lte(tickets.slaDueAt, horizon),
        // A quarter of the ticket's SLA or less still to run. The due time already carries the
        // finished pauses, so this is 75 % of running time, the same share the digest's list uses.
        sql`${tickets.slaDueAt} <= ${at(now)} + ${slaLength(core)} * ${1 - WARN_AT}`,
        sql`NOT EXISTS (SELECT 1 FROM ${ticketAlerts} a WHERE a.ticket_id = ${tickets.id} AND a.kind IN ('sla_warning', 'sla_breach'))`,
      ),
    )
    .orderBy(tickets.slaDueAt);
  let warnings = 0;
  for (const ticket of warned) if (await alertWarning(core, ticket, now)) warnings++;

  return { detail: `${warnings} SLA warnings, ${breaches} breaches`, queued: warnings + breaches };
}

async function alertWarning(core: Core, ticket: Ticket, now: Date): Promise<boolean> {
  return core.db.transaction(async (tx) => {
    if (!(await lockRunning(tx, ticket.id))) return false;
    if (!(await claimAlert(tx, ticket.id, 'sla_warning', now))) return false;
    const due = ticketTime(core, ticket, ticket.slaDueAt);
    const text = core.t('job.slaWarning', {
      who: mention(ticket.assignee),
      due: due.text,
      left: durationLabel(core, ticket.slaDueAt.getTime() - now.getTime()),
    });
    const payload = { dueAt: ticket.slaDueAt.toISOString() };
    await announce(
      core,
      tx,
      ticket,
      { type: 'sla_warning', payload, text, mentions: [ticket.assignee], times: [due] },
      now,
    );
    return true;
  });
}

async function alertBreach(core: Core, ticket: Ticket, now: Date): Promise<boolean> {
  // A team without a team leader still needs someone to act: its supervisors are tagged instead.
  const leaders = await leadersOf(core.db, ticket.team);
  const tagged = leaders.length > 0 ? leaders : await supervisors(core.db);
  return core.db.transaction(async (tx) => {
    if (!(await lockRunning(tx, ticket.id))) return false;
    if (!(await claimAlert(tx, ticket.id, 'sla_breach', now))) return false;
    // A ticket first seen already past its due time gets the breach alone, never a late warning.
    await claimAlert(tx, ticket.id, 'sla_warning', now);
    const due = ticketTime(core, ticket, ticket.slaDueAt);
    const text = core.t('job.slaBreach', {
      due: due.text,
      leaders: tagged.map(mention).join(' ') || '-',
      who: mention(ticket.assignee),
    });
    const payload = { dueAt: ticket.slaDueAt.toISOString(), tagged };
    await announce(
      core,
      tx,
      ticket,
      { type: 'sla_breach', payload, text, mentions: [...tagged, ticket.assignee], times: [due] },
      now,
    );
    return true;
  });
}

/** The ticket's SLA length from the configured table, as an SQL interval. */
function slaLength(core: Core): SQL {
  const cases = Object.entries(core.sla).flatMap(([service, byQueue]) =>
    Object.entries(byQueue).map(
      ([queue, hours]) =>
        sql`WHEN ${tickets.service} = ${service} AND ${tickets.queue} = ${queue} THEN ${hours}::float8`,
    ),
  );
  return sql`(interval '1 hour' * (CASE ${sql.join(cases, sql` `)} ELSE 24 END))`;
}

function maxSlaHours(core: Core): number {
  return Math.max(...Object.values(core.sla).flatMap((byQueue) => Object.values(byQueue)));
}

export const slaWatchJob: Job = {
  name: 'sla-watch',
  cron: () => '* * * * *',
  run: slaWatch,
};
