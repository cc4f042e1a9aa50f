import type { Core } from '../app.js';
import { roster } from '../db/schema.js';
import type { Role } from '../domain/roles.js';
import type { Queue } from '../domain/service-lines.js';

/**
 * Puts someone on the roster from a configured source (e.g. their Discord server role) unless
 * they are already on it: an existing entry — set by `peran` or POSKO_ADMINS — always wins.
 * Returns whether they were added.
 */
export async function enrollIfAbsent(
  core: Pick<Core, 'db' | 'clock'>,
  userKey: string,
  entry: { role: Role; team: string; queue: Queue },
  source: string,
): Promise<boolean> {
  const added = await core.db
    .insert(roster)
    .values({ userKey, ...entry, updatedAt: core.clock(), updatedBy: source })
    .onConflictDoNothing()
    .returning({ userKey: roster.userKey });
  return added.length > 0;
}
