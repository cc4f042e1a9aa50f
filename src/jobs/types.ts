import type { Core } from '../app.js';
import type { Config } from '../config.js';

/** What one run of a job did: a line for the log and the `job_runs` row, and how much it queued. */
export interface JobResult {
  /** Short human summary, e.g. "2 warnings, 1 breach". */
  detail: string;
  /** Outbox rows this run wrote (messages it will send). */
  queued?: number;
}

/**
 * A scheduled job: a plain function over the database and an injected clock, so tests call `run`
 * directly. The scheduler, `npx posko job <name>` and the console's `job <name>` all take jobs from
 * the one list in `registry.ts`.
 */
export interface Job {
  name: string;
  /** The cron expression (evaluated in POSKO_TIMEZONE) this job runs on. */
  cron(config: Config): string;
  run(core: Core, now: Date): Promise<JobResult>;
}
