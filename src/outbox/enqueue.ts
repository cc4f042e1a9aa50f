import { type Placeholder, sql } from 'drizzle-orm';
import type { Tx } from '../db/index.js';
import { reusableByCount } from '../db/reusable.js';
import { outbox } from '../db/schema.js';
import { laneOf } from './lanes.js';
import type { HomeRefresh, OutboxMessage } from './types.js';

export interface OutboxRow {
  /** Same key, same message: a retried transaction or job never queues it twice. */
  dedupeKey: string;
  platform: string;
  channel: string;
  message: OutboxMessage | HomeRefresh;
  at: Date;
  /** User key of the person whose command this message reports: told once if it cannot be delivered. */
  requestedBy?: string | null;
}

/** Queue a message in the caller's transaction, so it exists exactly when the change does. */
export async function enqueue(tx: Tx, row: OutboxRow): Promise<void> {
  await enqueueAll(tx, [row]);
}

/** Queue several messages in one statement (a job's page of changes); same rules as `enqueue`. */
export async function enqueueAll(tx: Tx, rows: OutboxRow[]): Promise<void> {
  if (rows.length === 0) return;
  const values = rows.map((row) => ({
    dedupeKey: row.dedupeKey,
    platform: row.platform,
    channel: laneOf(row.channel, row.message),
    payload: row.message as unknown as Record<string, unknown>,
    requestedBy: row.requestedBy ?? null,
    notBefore: row.at,
    createdAt: row.at,
  }));
  if (rows.length > FEW) {
    await tx.insert(outbox).values(values).onConflictDoNothing({ target: outbox.dedupeKey });
    return;
  }
  await insertFew(
    tx,
    values.length,
    Object.fromEntries(values.flatMap((v, i) => COLUMNS.map((c) => [`${c}${i}`, v[c]]))),
  );
}

/** A command queues one to a few messages; those statements are built once per row count (B1). */
const FEW = 4;
const COLUMNS = ['dedupeKey', 'platform', 'channel', 'payload', 'requestedBy', 'notBefore', 'createdAt'] as const;
const insertFew = reusableByCount((db, count) =>
  db
    .insert(outbox)
    .values(
      Array.from(
        { length: count },
        (_, i) =>
          Object.fromEntries(COLUMNS.map((c) => [c, sql.placeholder(`${c}${i}`)])) as Record<
            (typeof COLUMNS)[number],
            Placeholder
          >,
      ),
    )
    .onConflictDoNothing({ target: outbox.dedupeKey }),
);
