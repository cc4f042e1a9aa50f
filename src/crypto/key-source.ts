import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DataKeyError, type KeyRing, keyRing } from './keys.js';

/** The key file posko generates in an embedded database's data directory when no key is given. */
export const KEY_FILE = 'posko-data-key';

export interface KeySettings {
  /** POSKO_DATA_KEY: base64 of 32 bytes. */
  current?: string;
  /** POSKO_DATA_KEY_PREVIOUS: comma-separated older keys, still opening rows not yet rotated. */
  previous?: string;
}

/** Where the database keeps its data: decides what happens without POSKO_DATA_KEY. */
export type KeyHome = { kind: 'postgres' } | { kind: 'memory' } | { kind: 'directory'; dir: string };

// memory://: one key per process, so every in-memory database of this process shares it.
let memoryKey: string | null = null;

/**
 * POSKO_DATA_KEY when given; else, on embedded PGlite, the key file in the data directory
 * (generated on first start, mode 0600) or a key held in memory for `memory://`. PostgreSQL
 * without a key is refused (loadConfig already stops start with exit 2).
 */
export function resolveKeyRing(settings: KeySettings, home: KeyHome): KeyRing {
  if (settings.current) return keyRing(settings.current, settings.previous);
  if (home.kind === 'postgres') throw new DataKeyError('POSKO_DATA_KEY: required with a PostgreSQL DATABASE_URL');
  if (home.kind === 'memory') {
    memoryKey ??= randomBytes(32).toString('base64');
    return keyRing(memoryKey, settings.previous);
  }
  const file = path.join(home.dir, KEY_FILE);
  if (!existsSync(file)) writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return keyRing(readFileSync(file, 'utf8'), settings.previous);
}
