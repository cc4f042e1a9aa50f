import { createHmac } from 'node:crypto';
import type { DataKey, KeyRing } from './keys.js';

/**
 * P5.3's lookup key: an HMAC of the service line and the normalised customer ID, so equal
 * customers meet in an index (and its unique constraint) while the column tells nothing without
 * the key. base64url of the full 32 bytes.
 */
export function blindIndex(key: DataKey, service: string, customerId: string): string {
  return createHmac('sha256', key.indexKey).update(`${service}\n${customerId}`).digest('base64url');
}

/** The index under every key of the ring, current first: rows not yet rotated are still found. */
export function blindIndexes(ring: KeyRing, service: string, customerId: string): string[] {
  return [ring.current, ...ring.previous].map((k) => blindIndex(k, service, customerId));
}
