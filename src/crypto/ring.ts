import { DataKeyError, type KeyRing } from './keys.js';

/**
 * The process's key ring, installed when the database is opened. It is process-wide because the
 * encrypted columns seal and open inside drizzle's value mapping (see column.ts), which has no
 * other context; one posko process serves one database. Values sealed under a key installed
 * earlier in this process still open (tests open several databases in one process).
 */
let installed: KeyRing | null = null;
const seen = new Map<string, KeyRing['current']>();

export function installKeyRing(ring: KeyRing): void {
  installed = ring;
  for (const k of [ring.current, ...ring.previous]) seen.set(k.id, k);
}

/** The ring values are sealed with; refuses when no key was given (fail closed, never plaintext). */
export function activeKeyRing(): KeyRing {
  if (!installed) throw new DataKeyError('no data key installed: set POSKO_DATA_KEY');
  return installed;
}

/** The active ring plus every key seen in this process, for opening values. */
export function openingKeyRing(): KeyRing {
  const ring = activeKeyRing();
  return { current: ring.current, previous: [...seen.values()].filter((k) => k.id !== ring.current.id) };
}
