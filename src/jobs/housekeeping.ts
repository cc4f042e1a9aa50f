import { and, eq, lt, sql } from 'drizzle-orm';
import type { Core } from '../app.js';
import { inboundDedupe, jobRuns, outbox } from '../db/schema.js';
import type { Job, JobResult } from './types.js';

const DAY = 86_400_000;
/** Slack and Discord redeliver within minutes; a week is far past any retry. */
export const DELIVERY_IDS_KEPT_DAYS = 7;
/** MONITA update ids are kept longer: a feed replayed from the start must still find them. */
export const MONITA_IDS_KEPT_DAYS = 90;
export const SENT_MESSAGES_KEPT_DAYS = 14;
export const JOB_RUNS_KEPT_DAYS = 30;

/**
 * Trims the bookkeeping tables that grow with traffic (delivery ids, sent outbox rows, job runs),
 * so the hot lookups stay small. Tickets and their events are never touched: they are the record.
 */
export async function housekeeping(core: Core, now: Date): Promise<JobResult> {
  const before = (days: number) => new Date(now.getTime() - days * DAY);
  const deliveries = await core.db
    .delete(inboundDedupe)
    .where(and(lt(inboundDedupe.seenAt, before(DELIVERY_IDS_KEPT_DAYS)), sql`${inboundDedupe.key} NOT LIKE 'monita:%'`))
    .returning({ key: inboundDedupe.key });
  const monita = await core.db
    .delete(inboundDedupe)
    .where(and(lt(inboundDedupe.seenAt, before(MONITA_IDS_KEPT_DAYS)), sql`${inboundDedupe.key} LIKE 'monita:%'`))
    .returning({ key: inboundDedupe.key });
  const sent = await core.db
    .delete(outbox)
    .where(and(eq(outbox.status, 'sent'), lt(outbox.sentAt, before(SENT_MESSAGES_KEPT_DAYS))))
    .returning({ id: outbox.id });
  const runs = await core.db
    .delete(jobRuns)
    .where(lt(jobRuns.startedAt, before(JOB_RUNS_KEPT_DAYS)))
    .returning({ job: jobRuns.job });
  return {
    detail: `${deliveries.length + monita.length} delivery ids, ${sent.length} sent messages, ${runs.length} job runs removed`,
  };
}

export const housekeepingJob: Job = {
  name: 'housekeeping',
  // Quiet hours in WIB.
  cron: () => '30 3 * * *',
  run: housekeeping,
};
