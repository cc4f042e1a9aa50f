import cron, { type Logger as CronLogger, type ScheduledTask } from 'node-cron';
import type { Core } from '../app.js';
import { claimRun, finishRun, instanceId, PgRunCoordinator } from './coordinator.js';
import { timeJobRun } from './metrics.js';
import { findJob, JOBS, jobNames } from './registry.js';
import type { Job, JobResult } from './types.js';

export class UnknownJob extends Error {
  constructor(readonly job: string) {
    super(`unknown job "${job}"; jobs: ${jobNames().join(', ')}`);
  }
}

/** How long a tick's claim is meant to cover; node-cron passes it to the coordinator as ttl. */
const LEASE_MS = 5 * 60_000;

export interface Scheduler {
  instance: string;
  tasks: ScheduledTask[];
  stop(): Promise<void>;
}

/**
 * Schedules every job with node-cron in POSKO_TIMEZONE as a `distributed` task: on each fire the
 * PostgreSQL coordinator lets exactly one posko instance on the database run that slot.
 */
export function startScheduler(core: Core, jobs: readonly Job[] = JOBS, opts: { instance?: string } = {}): Scheduler {
  const instance = opts.instance ?? `${instanceId()}:${core.instanceId}`;
  const coordinator = new PgRunCoordinator(core.db, instance, core.clock);
  const logger = cronLogger(core);
  const tasks = jobs.map((job) => {
    const task = cron.schedule(job.cron(core.config), (ctx) => runSlot(core, job, ctx.date), {
      name: job.name,
      timezone: core.config.POSKO_TIMEZONE,
      distributed: true,
      runCoordinator: coordinator,
      distributedLease: LEASE_MS,
      // A slow run (a feed timing out) must not pile up behind itself in this process.
      noOverlap: true,
      logger,
    });
    task.on('execution:skipped', (ctx) => {
      if (ctx.reason === 'coordinator-error')
        core.log.warn({ job: job.name }, 'job tick skipped: database unreachable');
    });
    return task;
  });
  core.log.info({ instance, jobs: jobs.map((j) => `${j.name} ${j.cron(core.config)}`) }, 'scheduler started');
  return {
    instance,
    tasks,
    stop: async () => {
      await Promise.all(tasks.map((t) => t.destroy()));
    },
  };
}

/** The body of a won tick: run the job, record how it went; never throws into node-cron. */
async function runSlot(core: Core, job: Job, slot: Date): Promise<void> {
  let ok = false;
  let detail: string;
  const timed = timeJobRun(job.name);
  try {
    const result = await job.run(core, core.clock());
    ok = true;
    detail = result.detail;
    core.log.info({ job: job.name, slot, queued: result.queued }, `job ${job.name}: ${result.detail}`);
  } catch (err) {
    detail = err instanceof Error ? err.message : String(err);
    core.log.error({ err, job: job.name, slot }, `job ${job.name} failed`);
  }
  timed(ok);
  await finishRun(core.db, job.name, slot, ok, detail, core.clock()).catch((err) =>
    core.log.warn({ err, job: job.name }, 'could not record the job run'),
  );
}

/**
 * Runs one job now (`npx posko job <name>`, the console's `job <name>`). Recorded in `job_runs`
 * under the current millisecond, so an operator sees manual runs beside scheduled ones.
 */
export async function runJobNow(core: Core, name: string): Promise<JobResult> {
  const job = findJob(name);
  if (!job) throw new UnknownJob(name);
  const slot = core.clock();
  const claimed = await claimRun(core.db, job.name, slot, `manual:${instanceId()}`, slot);
  const timed = timeJobRun(job.name);
  try {
    const result = await job.run(core, slot);
    timed(true);
    if (claimed) await finishRun(core.db, job.name, slot, true, result.detail, core.clock());
    return result;
  } catch (err) {
    timed(false);
    if (claimed) await finishRun(core.db, job.name, slot, false, String(err), core.clock()).catch(() => {});
    throw err;
  }
}

function cronLogger(core: Core): CronLogger {
  const msg = (m: string | Error) => (m instanceof Error ? m.message : m);
  return {
    info: (m) => core.log.debug(m),
    warn: (m) => core.log.warn(m),
    // A coordinator failure is the database being away; the skipped event already logs one
    // short warning per tick, so node-cron's own line (the whole error, its SQL) goes to debug.
    error: (m, err) =>
      msg(m).startsWith('Run coordinator failed')
        ? core.log.debug({ err: err ?? m }, msg(m))
        : core.log.error({ err: err ?? m }, msg(m)),
    debug: (m) => core.log.debug(msg(m)),
  };
}
