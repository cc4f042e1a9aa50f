import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { Core } from '../app.js';
import { MIGRATIONS_FOLDER } from '../paths.js';

/** What the last probe found; `timeout` means it has not answered within the probe's limit. */
export type DatabaseState = 'unknown' | 'ok' | 'unreachable' | 'timeout';

export interface OutboxHealth {
  platform: string;
  /** Messages waiting to be delivered. */
  pending: number;
  /** Age of the oldest waiting message, in seconds (0 when none waits). */
  oldestAgeSeconds: number;
  /** Messages given up on (status dead). */
  dead: number;
}

export interface HealthState {
  database: { state: DatabaseState; checkedAt: string | null; latencyMs: number | null; error?: string };
  /** The newest migration applied, against the newest one shipped in drizzle/. */
  migrations: { applied: boolean | null; latest: string };
  /** From the last probe that reached the database; kept while it is away. */
  outbox: OutboxHealth[];
}

export interface HealthProbe {
  /** The cached state: answering never waits for the database. */
  state(): HealthState;
  /** One probe now (the loop's own step); resolves when it settled or timed out. */
  probe(): Promise<void>;
  start(): void;
  stop(): void;
}

export interface HealthProbeOptions {
  /** Between two probes. */
  intervalMs?: number;
  /** A probe that has not answered by then marks the database `timeout`. */
  timeoutMs?: number;
}

interface JournalEntry {
  tag: string;
  when: number;
}

/** The newest migration shipped: drizzle records each applied one by its journal `when`. */
function latestShippedMigration(): JournalEntry {
  const journal = JSON.parse(readFileSync(path.join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as {
    entries: JournalEntry[];
  };
  const last = journal.entries.at(-1);
  if (!last) throw new Error('drizzle/meta/_journal.json lists no migration');
  return last;
}

/**
 * A background probe of the database with its own timeout. /healthz and /readyz read what it
 * cached, so they answer at once even while the database hangs (a health check that waits on
 * the database took 9–10 s at outage edges). A probe still stuck is never doubled up: the next
 * tick leaves it be and the state stays `timeout` until it settles.
 */
export function createHealthProbe(core: Core, opts: HealthProbeOptions = {}): HealthProbe {
  const intervalMs = opts.intervalMs ?? 2_000;
  const timeoutMs = opts.timeoutMs ?? 2_000;
  const latest = latestShippedMigration();
  const current: HealthState = {
    database: { state: 'unknown', checkedAt: null, latencyMs: null },
    migrations: { applied: null, latest: latest.tag },
    outbox: [],
  };
  let inflight: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;

  const check = async () => {
    const started = performance.now();
    await core.db.execute(sql`select 1`);
    const latencyMs = Math.round(performance.now() - started);
    const [applied] = rowsOf<{ last: string | number | null }>(
      await core.db.execute(sql`select max(created_at) as last from drizzle.__drizzle_migrations`),
    );
    const outbox = await outboxHealth(core);
    current.database = { state: 'ok', checkedAt: core.clock().toISOString(), latencyMs };
    current.migrations.applied = Number(applied?.last ?? 0) >= latest.when;
    current.outbox = outbox;
  };

  const probe = (): Promise<void> => {
    if (!inflight) {
      inflight = check()
        .catch((err: unknown) => {
          // No migrations table yet is a reachable database that is not migrated.
          if (errorCode(err) === '42P01') {
            current.database = { state: 'ok', checkedAt: core.clock().toISOString(), latencyMs: null };
            current.migrations.applied = false;
            return;
          }
          current.database = {
            state: 'unreachable',
            checkedAt: core.clock().toISOString(),
            latencyMs: null,
            error: errorCode(err),
          };
        })
        .finally(() => {
          inflight = undefined;
        });
    }
    const settled = inflight;
    return new Promise<void>((resolve) => {
      const limit = setTimeout(() => {
        current.database = {
          state: 'timeout',
          checkedAt: core.clock().toISOString(),
          latencyMs: null,
          error: `no answer within ${timeoutMs} ms`,
        };
        resolve();
      }, timeoutMs);
      limit.unref();
      void settled.then(() => {
        clearTimeout(limit);
        resolve();
      });
    });
  };

  return {
    state: () => current,
    probe,
    start() {
      if (timer) return;
      void probe();
      timer = setInterval(() => void probe(), intervalMs);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
    },
  };
}

/** A short, value-free reason: the driver's code, never a message that might quote a statement. */
function errorCode(err: unknown): string {
  // drizzle wraps the driver's error: its code is on the cause.
  const e = err as { code?: string; errno?: string; cause?: { code?: string } } | undefined;
  return String(e?.cause?.code ?? e?.code ?? e?.errno ?? (err instanceof Error ? err.name : 'error'));
}

async function outboxHealth(core: Core): Promise<OutboxHealth[]> {
  const rows = rowsOf<{
    platform: string;
    pending: string | number;
    oldest: string | Date | null;
    dead: string | number;
  }>(
    await core.db.execute(sql`
    select platform,
           count(*) filter (where status = 'pending') as pending,
           min(created_at) filter (where status = 'pending') as oldest,
           count(*) filter (where status = 'dead') as dead
      from outbox
     where status in ('pending', 'dead')
     group by platform
     order by platform`),
  );
  const now = core.clock().getTime();
  return rows.map((r) => ({
    platform: r.platform,
    pending: Number(r.pending),
    oldestAgeSeconds: r.oldest ? Math.max(0, Math.round((now - new Date(r.oldest).getTime()) / 1000)) : 0,
    dead: Number(r.dead),
  }));
}

/** postgres-js answers a raw statement with an array of rows, PGlite with `{ rows }`. */
function rowsOf<Row>(result: unknown): Row[] {
  return (Array.isArray(result) ? result : (result as { rows: Row[] }).rows) as Row[];
}
