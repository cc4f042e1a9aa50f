import { AsyncLocalStorage } from 'node:async_hooks';
import { sql } from 'drizzle-orm';
import type { Core } from '../core.js';
import type { Tx } from '../db/index.js';
import { reusable } from '../db/reusable.js';
import { inboundDedupe } from '../db/schema.js';

/** A platform delivery id seen before: the command already took effect once. */
export class DuplicateDelivery extends Error {}

interface DeliveryScope {
  key: string;
  claimed: boolean;
}

const delivery = new AsyncLocalStorage<DeliveryScope>();

/** Runs `fn` with a delivery id to claim in the first transaction the command opens. */
export function withDelivery<T>(key: string | undefined, fn: () => Promise<T>): Promise<T> {
  return key ? delivery.run({ key, claimed: false }, fn) : fn();
}

const claim = reusable((db) =>
  db
    .insert(inboundDedupe)
    .values({ key: sql.placeholder('key'), seenAt: sql.placeholder('at') })
    .onConflictDoNothing()
    .returning({ key: inboundDedupe.key }),
);

export async function claimDelivery(tx: Tx | Core['db'], scope: DeliveryScope, at: Date): Promise<void> {
  const rows = await claim(tx, { key: scope.key, at });
  if (rows.length === 0) throw new DuplicateDelivery(scope.key);
  scope.claimed = true;
}

/** Claims the delivery outside any change (read-only commands): a redelivery is still answered once. */
export async function claimCurrentDelivery(core: Pick<Core, 'db' | 'clock'>): Promise<void> {
  const scope = delivery.getStore();
  if (scope && !scope.claimed) await claimDelivery(core.db, scope, core.clock());
}

/**
 * Every service changes the database through here: one transaction, in which the inbound delivery
 * id (if any) is recorded too — so a redelivered command has no second effect, and a failed one
 * leaves no claim behind.
 */
export function transaction<T>(core: Pick<Core, 'db' | 'clock'>, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const scope = delivery.getStore();
  return core.db.transaction(async (tx) => {
    if (scope && !scope.claimed) await claimDelivery(tx, scope, core.clock());
    return fn(tx);
  });
}
