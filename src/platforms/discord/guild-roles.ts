/**
 * Optional onboarding from Discord server roles (DISCORD_ROLE_MAP): someone not yet on the roster
 * who holds a mapped role is enrolled with that role the first time they use /tiket. The roster
 * stays the source of truth: people already on it are never changed here (`peran` does that).
 *
 * Format: `<role id>=<agent|tl|spv>[:<team>[:<queue>]]`, comma-separated, e.g.
 * `111=agent:a,222=tl:a,333=spv`.
 */
import type { Core } from '../../app.js';
import { ROLE_WORDS, type Role } from '../../domain/roles.js';
import { isQueue, type Queue } from '../../domain/service-lines.js';
import { enrollIfAbsent } from '../../services/enroll.js';

export interface MappedRole {
  role: Role;
  team: string;
  queue: Queue;
}

const ENTRY = /^(\d{5,25})=(agent|tl|spv)(?::([a-z0-9][a-z0-9_-]{0,31}))?(?::([a-z]+))?$/i;

/** Parsed map, or a message naming the bad entry (config validation uses it). */
export function parseRoleMap(text: string | undefined): Map<string, MappedRole> | string {
  const map = new Map<string, MappedRole>();
  for (const raw of (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = ENTRY.exec(raw);
    const queue = (m?.[4] ?? 'reguler').toLowerCase();
    if (!m || !isQueue(queue)) return `"${raw}" is not <role id>=<agent|tl|spv>[:<team>[:<queue>]]`;
    map.set(m[1]!, { role: ROLE_WORDS[m[2]!.toLowerCase()]!, team: (m[3] ?? 'a').toLowerCase(), queue });
  }
  return map;
}

const RANK: Record<Role, number> = { agent: 1, team_leader: 2, supervisor: 3 };

/** The highest posko role the member's server roles map to, if any. */
export function mappedRoleOf(map: Map<string, MappedRole>, memberRoles: readonly string[]): MappedRole | undefined {
  let best: MappedRole | undefined;
  for (const id of memberRoles) {
    const m = map.get(id);
    if (m && (!best || RANK[m.role] > RANK[best.role])) best = m;
  }
  return best;
}

/** The member's role ids, whether discord.js cached the member or kept the raw payload. */
export function memberRoleIds(member: unknown): string[] {
  const roles = (member as { roles?: unknown } | null)?.roles;
  if (Array.isArray(roles)) return roles.map(String);
  const cache = (roles as { cache?: Map<string, unknown> } | undefined)?.cache;
  return cache ? [...cache.keys()] : [];
}

/** Enrols the user from their server roles when the map is set and they are not on the roster. */
export async function enrollFromGuildRoles(core: Core, userId: string, member: unknown): Promise<void> {
  const map = parseRoleMap(core.config.DISCORD_ROLE_MAP);
  if (typeof map === 'string' || map.size === 0) return;
  const mapped = mappedRoleOf(map, memberRoleIds(member));
  if (!mapped) return;
  await enrollIfAbsent(core, `discord:${userId}`, mapped, 'DISCORD_ROLE_MAP');
}
