import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DataKeyError, findKey, type KeyRing } from './keys.js';

/**
 * A sealed value is `pk1.<key id>.<base64url(iv ‖ tag ‖ ciphertext)>`: AES-256-GCM, a fresh 12-byte
 * IV each time, and the column's name as associated data so a value cannot be moved to another column.
 * The key id in every value is what rotation looks for.
 */
const PREFIX = 'pk1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export function seal(ring: KeyRing, column: string, plaintext: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', ring.current.secret, iv);
  cipher.setAAD(Buffer.from(column));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `${PREFIX}.${ring.current.id}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
}

export function isSealed(value: string): boolean {
  return value.startsWith(`${PREFIX}.`);
}

/** The id of the key that sealed `value`, or null for a value that is not sealed. */
export function sealedKeyId(value: string): string | null {
  return isSealed(value) ? (value.split('.')[1] ?? null) : null;
}

/** Opens a sealed value; errors name the key id or the column, never the value. */
export function unseal(ring: KeyRing, column: string, value: string): string {
  const [prefix, id, data] = value.split('.');
  if (prefix !== PREFIX || !id || data === undefined) throw new DataKeyError(`${column}: value is not sealed`);
  const key = findKey(ring, id);
  if (!key)
    throw new DataKeyError(
      `${column}: sealed with key ${id}, which is neither POSKO_DATA_KEY nor in POSKO_DATA_KEY_PREVIOUS`,
    );
  const raw = Buffer.from(data, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', key.secret, raw.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(column));
  decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    throw new DataKeyError(`${column}: value does not open with key ${id} (wrong key or altered value)`);
  }
}
