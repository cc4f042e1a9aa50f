import { type SQL, sql } from 'drizzle-orm';

/**
 * A point in time inside a raw `sql` fragment. Column comparisons map Dates themselves, but a raw
 * parameter does not: postgres-js refuses a Date there, so it goes as ISO text with a cast.
 */
export const at = (d: Date): SQL => sql`${d.toISOString()}::timestamptz`;
