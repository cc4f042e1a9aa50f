import type { Db } from '../db/index.js';
import { type ResealReport, resealRows } from './reseal.js';
import { activeKeyRing } from './ring.js';

/**
 * `posko rotate-key`: every ticket holding a value sealed under an older key is opened with that
 * key (POSKO_DATA_KEY_PREVIOUS) and sealed again under POSKO_DATA_KEY, its blind index
 * recomputed with the new key's index key — in batches, one transaction each, so it can run
 * beside live instances and be run again after an interruption.
 */
export async function rotateKey(db: Db, batchSize?: number): Promise<ResealReport & { keyId: string }> {
  const ring = activeKeyRing();
  const report = await resealRows(db, ring, 'stale', batchSize);
  return { ...report, keyId: ring.current.id };
}
