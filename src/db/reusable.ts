/**
 * A hot statement whose SQL drizzle builds once. Building a query — walking a 30-column table,
 * wrapping every value, joining the chunks — cost more CPU than running it: in B1 (issue 14) it was
 * a sixth of posko's time per `/tiket buka`. Here the builder runs once with `sql.placeholder`s,
 * and each run only fills the values (through each column's own encoder, as a built query would).
 *
 * drizzle's own `prepare()` binds the statement to the handle it was built on, so it cannot run
 * inside a later transaction (drizzle issues 613 and 2826). Each run here borrows the statement
 * with the connection of the handle it is given — a transaction, or the database — the one
 * property drizzle's sessions and prepared queries share on both drivers.
 */
import type { Db, Tx } from './types.js';

type Handle = Db | Tx;

interface Prepared<R> {
  execute(values?: Record<string, unknown>): Promise<R>;
}

interface Buildable<R> {
  prepare(name?: string): Prepared<R>;
}

/**
 * drizzle keeps the connection a query runs on as `client`, on sessions and prepared queries alike;
 * the session's class tells the driver (a statement built for one cannot run on the other).
 */
function sessionOf(on: Handle): { client: object; driver: unknown } {
  const session = (on as unknown as { session?: { client?: unknown } }).session;
  const client = session?.client;
  if (!session || (typeof client !== 'object' && typeof client !== 'function') || client === null)
    throw new Error('reusable: this drizzle version keeps no session client; build the query instead');
  return { client, driver: session.constructor };
}

/**
 * `build` returns the query with placeholders for every value that changes; the result runs it on
 * the given handle with those values. A missing value is refused by drizzle before anything runs.
 */
export function reusable<R>(build: (on: Handle) => Buildable<R>): (on: Handle, values: object) => Promise<R> {
  // One process has one database, but tests (a dead PGlite beside PostgreSQL) may hold both kinds.
  const byDriver = new Map<unknown, Prepared<R>>();
  return (on, values) => {
    const { client, driver } = sessionOf(on);
    let statement = byDriver.get(driver);
    if (!statement) {
      statement = build(on).prepare();
      byDriver.set(driver, statement);
    }
    // The built statement stays as it is; this run's copy differs only in the connection.
    const run = Object.create(statement) as Prepared<R> & { client: object };
    run.client = client;
    return run.execute(values as Record<string, unknown>);
  };
}

/**
 * The same, for a statement whose shape follows a small number — how many rows it inserts, how
 * many keys it matches: one built statement per number seen.
 */
export function reusableByCount<R>(
  build: (on: Handle, count: number) => Buildable<R>,
): (on: Handle, count: number, values: object) => Promise<R> {
  const statements = new Map<number, (on: Handle, values: object) => Promise<R>>();
  return (on, count, values) => {
    let run = statements.get(count);
    if (!run) {
      run = reusable((db) => build(db, count));
      statements.set(count, run);
    }
    return run(on, values);
  };
}
