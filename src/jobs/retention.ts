import type { Core } from '../app.js';
import { eraseExpired } from '../services/retention.js';
import type { Job, JobResult } from './types.js';

/** UU PDP: erase the customer values of tickets closed more than POSKO_RETENTION_DAYS ago (src/services/retention.ts). */
export async function retention(core: Core, now: Date): Promise<JobResult> {
  const r = await eraseExpired(core, now);
  return {
    detail: `${r.tickets} tickets erased (closed over ${r.days} days ago): ${r.events} events, ${r.escalations} escalations, ${r.messages} sent messages`,
  };
}

export const retentionJob: Job = {
  name: 'retention',
  // Daily, in quiet hours (WIB), after housekeeping.
  cron: () => '45 3 * * *',
  run: retention,
};
