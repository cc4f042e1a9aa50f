/**
 * A defect of postgres-js, up to 3.4.9 (the newest release when this was written): when the
 * server closes a connection under a transaction, the driver still queues the transaction's own
 * ROLLBACK on it and writes it from a timer (`nextWrite`), after the socket is gone. That throws a
 * TypeError ("reading 'write'") outside any caller, as an uncaught exception, and the connection
 * is left unusable. posko keeps running and replaces every PostgreSQL pool with a fresh one.
 * test/ops/driver-defect.test.ts shows the defect on PostgreSQL; when a release fixes it, that
 * test fails and this file can go.
 */

const renewers = new Set<() => void>();

/** A pool registers how to replace itself; the returned function unregisters it (on close). */
export function onDriverDefect(renew: () => void): () => void {
  renewers.add(renew);
  return () => renewers.delete(renew);
}

/** True when `err` is that defect; then every registered pool has been replaced. */
export function recoverFromDriverDefect(err: unknown): boolean {
  const stack = err instanceof TypeError ? String(err.stack) : '';
  if (
    !/reading 'write'/.test(stack) ||
    !/nextWrite/.test(stack) ||
    !/postgres[\\/](cjs[\\/])?src[\\/]connection/.test(stack)
  )
    return false;
  for (const renew of renewers) renew();
  return true;
}
