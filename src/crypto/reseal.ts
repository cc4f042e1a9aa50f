import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import { tickets } from '../db/schema.js';
import type { Db } from '../db/types.js';
import { blindIndex } from './blind-index.js';
import type { KeyRing } from './keys.js';
import { sealedKeyId, unseal } from './seal.js';

/** Sealed columns, as stored: read raw (a `sql` select skips the column's mapping). */
const RAW = {
  id: tickets.id,
  service: tickets.service,
  customerId: sql<string>`${tickets.customerId}`,
  customerName: sql<string>`${tickets.customerName}`,
  contact: sql<string>`${tickets.contact}`,
  complaint: sql<string>`${tickets.complaint}`,
};
const SEALED = ['customerId', 'customerName', 'contact', 'complaint'] as const;
const COLUMN: Record<(typeof SEALED)[number], string> = {
  customerId: 'customer_id',
  customerName: 'customer_name',
  contact: 'contact',
  complaint: 'complaint',
};
type RawRow = { [K in keyof typeof RAW]: K extends 'id' ? number : string };

export interface ResealReport {
  scanned: number;
  resealed: number;
}

/**
 * Seals rows under the ring's current key, a batch per transaction (rows locked), and writes
 * their blind index: `unsealed` takes the rows written before encryption (customer_index null:
 * plaintext in place is replaced by its sealed value), `stale` every row holding a value sealed
 * under an older key (rotation). Idempotent: a second run finds nothing to do. The values are
 * written back through the columns' own sealing (the process's installed ring must be `ring`).
 */
export async function resealRows(
  db: Db,
  ring: KeyRing,
  which: 'unsealed' | 'stale',
  batchSize = 500,
): Promise<ResealReport> {
  const report: ResealReport = { scanned: 0, resealed: 0 };
  let after = 0;
  for (;;) {
    const rows = await db.transaction(async (tx) => {
      const batch = (await tx
        .select(RAW)
        .from(tickets)
        .where(and(gt(tickets.id, after), which === 'unsealed' ? isNull(tickets.customerIndex) : undefined))
        .orderBy(asc(tickets.id))
        .limit(batchSize)
        .for('update')) as RawRow[];
      for (const row of batch) {
        if (which === 'stale' && SEALED.every((k) => isCurrent(ring, row[k]))) continue;
        // A row without its index was written before encryption: its values are plaintext (a
        // batch is one transaction, so no row is ever half sealed).
        const open = (k: (typeof SEALED)[number]) =>
          which === 'unsealed' || row[k] === '' ? row[k] : unseal(ring, COLUMN[k], row[k]);
        const plain = Object.fromEntries(SEALED.map((k) => [k, open(k)])) as Record<(typeof SEALED)[number], string>;
        await tx
          .update(tickets)
          .set({ ...plain, customerIndex: blindIndex(ring.current, row.service, plain.customerId) })
          .where(eq(tickets.id, row.id));
        report.resealed++;
      }
      return batch;
    });
    report.scanned += rows.length;
    if (rows.length < batchSize) return report;
    after = rows[rows.length - 1]?.id ?? after;
  }
}

const isCurrent = (ring: KeyRing, value: string) => value === '' || sealedKeyId(value) === ring.current.id;
