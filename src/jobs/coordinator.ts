import { hostname } from 'node:os';
import { and, eq } from 'drizzle-orm';
import type { RunCoordinator } from 'node-cron';
import type { Db } from '../db/index.js';
import { jobRuns } from '../db/schema.js';

/** Names this process in `job_runs.instance`, so an operator can see who ran a tick. */
export function instanceId(): string {
  return `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * Claims the (job, slot) row; true only for the one caller whose INSERT landed. The primary key
 * makes the claim atomic on PostgreSQL and PGlite alike, whatever number of instances ask.
 */
export async function claimRun(db: Db, job: string, slot: Date, instance: string, now: Date): Promise<boolean> {
  const rows = await db
    .insert(jobRuns)
    .values({ job, slot, instance, startedAt: now })
    .onConflictDoNothing()
    .returning({ job: jobRuns.job });
  return rows.length === 1;
}

export async function finishRun(
  db: Db,
  job: string,
  slot: Date,
  ok: boolean,
  detail: string,
  now: Date,
): Promise<void> {
  await db
    .update(jobRuns)
    .set({ finishedAt: now, ok, detail: detail.slice(0, 1000) })
    .where(and(eq(jobRuns.job, job), eq(jobRuns.slot, slot)));
}

/**
 * node-cron asks `shouldRun("<task name>:<slot ISO>")` on every fire of a `distributed` task (and
 * skips the run, fail-closed, when this throws). A slot is the scheduled minute, identical on every
 * instance, so the first INSERT wins and the others are "not elected". A claim is never given back:
 * a winner that dies mid-run loses that slot, and the next tick (jobs are idempotent) catches up.
 */
export class PgRunCoordinator implements RunCoordinator {
  constructor(
    private readonly db: Db,
    readonly instance: string,
    private readonly clock: () => Date,
  ) {}

  async shouldRun(key: string): Promise<boolean> {
    const { job, slot } = parseKey(key);
    return claimRun(this.db, job, slot, this.instance, this.clock());
  }
}

/** Job names never contain ':'; the ISO time after the first ':' does. */
export function parseKey(key: string): { job: string; slot: Date } {
  const at = key.indexOf(':');
  const slot = new Date(key.slice(at + 1));
  if (at <= 0 || Number.isNaN(slot.getTime())) throw new Error(`not a run key: ${key}`);
  return { job: key.slice(0, at), slot };
}
