import { createHmac, hkdfSync } from 'node:crypto';

/** One data key: the AES-256 key itself, its public id, and the blind-index key derived from it. */
export interface DataKey {
  /** 8 hex characters naming the key in every value it sealed (not secret: an HMAC of a constant). */
  id: string;
  secret: Buffer;
  /** HKDF of the data key with its own label: a leaked index key does not open any value. */
  indexKey: Buffer;
}

/** The current key seals; previous keys only open values sealed before a rotation. */
export interface KeyRing {
  current: DataKey;
  previous: DataKey[];
}

export class DataKeyError extends Error {}

const KEY_BYTES = 32;

/** Parses base64 (standard or url-safe) that must decode to exactly 32 bytes; the error never echoes the key. */
export function parseDataKey(base64: string): DataKey {
  const text = base64.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) throw new DataKeyError('not base64');
  const secret = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (secret.length !== KEY_BYTES) throw new DataKeyError(`${secret.length} bytes, need 32 (openssl rand -base64 32)`);
  return {
    id: createHmac('sha256', secret).update('posko key id').digest('hex').slice(0, 8),
    secret,
    indexKey: Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'posko blind index v1', KEY_BYTES)),
  };
}

/** "k1, k2": the previous keys, newest first; an empty list is none. */
export function parseKeyList(list: string | undefined): DataKey[] {
  return (list ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean)
    .map(parseDataKey);
}

export function keyRing(current: string, previous?: string): KeyRing {
  const ring = { current: parseDataKey(current), previous: parseKeyList(previous) };
  return { ...ring, previous: ring.previous.filter((k) => k.id !== ring.current.id) };
}

export function findKey(ring: KeyRing, id: string): DataKey | undefined {
  return ring.current.id === id ? ring.current : ring.previous.find((k) => k.id === id);
}
