import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type * as schema from './schema.js';

/** The database as every module sees it, on either driver (its own file: index.ts opens it). */
export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/** A transaction handle, as drizzle passes it to `db.transaction`. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
