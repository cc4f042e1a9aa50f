import { digestJob } from './digest.js';
import { housekeepingJob } from './housekeeping.js';
import { monitaPollJob } from './monita-poll.js';
import { remindersJob } from './reminders.js';
import { retentionJob } from './retention.js';
import { slaWatchJob } from './sla-watch.js';
import type { Job } from './types.js';

export type { Job, JobResult } from './types.js';

/** Every scheduled job, in the order they are listed to people. */
export const JOBS: readonly Job[] = [
  monitaPollJob,
  slaWatchJob,
  remindersJob,
  digestJob,
  housekeepingJob,
  retentionJob,
];

export function findJob(name: string): Job | undefined {
  return JOBS.find((j) => j.name === name);
}

export function jobNames(): string[] {
  return JOBS.map((j) => j.name);
}
