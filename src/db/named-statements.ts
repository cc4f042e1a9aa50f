/**
 * drizzle-orm 0.45 runs every query through postgres-js's `unsafe(…, { prepare: false })`. For a
 * query with parameters postgres-js then sends Parse + Describe, waits for the server's answer,
 * and only then Bind + Execute: two round trips per statement, on every statement (the defect is
 * drizzle's issue 5502, fixed in a beta). Letting postgres-js name and keep its statements — its
 * own default — makes each statement one round trip after the first on a connection. Issue 14,
 * B1: `buka` is nine statements; bench/README has the figures.
 *
 * The statements are kept per connection (postgres-js's cache, keyed by text and parameter types)
 * and die with it. A pooler in transaction mode must pass protocol-level prepared statements
 * (PgBouncer 1.21 and later with `max_prepared_statements`); README, Operations.
 */
import type { Sql } from 'postgres';

type UnsafeOptions = NonNullable<Parameters<Sql['unsafe']>[2]>;

/** `client` as drizzle sees it: every query prepared under a name; transactions and savepoints too. */
export function namedStatements<T extends Sql>(client: T): T {
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === 'unsafe')
        return (query: string, params?: unknown[], options?: UnsafeOptions) =>
          // Without parameters postgres-js uses the simple protocol, one round trip already.
          target.unsafe(query, params as never, { ...options, prepare: true });
      if (prop === 'begin' || prop === 'savepoint')
        return (...args: unknown[]) => {
          const last = args.length - 1;
          const body = args[last] as (sql: Sql) => unknown;
          const wrapped = [...args.slice(0, last), (inner: Sql) => body(namedStatements(inner))];
          return (Reflect.get(target, prop) as (...a: unknown[]) => unknown)(...wrapped);
        };
      return Reflect.get(target, prop, receiver);
    },
  });
}
