/** Roles from the roster (SOP §4). A user not on the roster has no role and may only ask for help. */
export const ROLES = ['agent', 'team_leader', 'supervisor'] as const;
export type Role = (typeof ROLES)[number];

/** The words of the ⚓ grammar (`peran <user> <agent|tl|spv>`). */
export const ROLE_WORDS: Record<string, Role> = { agent: 'agent', tl: 'team_leader', spv: 'supervisor' };
export const roleWord = (role: Role): string =>
  role === 'team_leader' ? 'tl' : role === 'supervisor' ? 'spv' : 'agent';

export interface Actor {
  userKey: string;
  role: Role | null;
  team: string;
  queue: string;
  /** The roster's language override for this person (`peran … bahasa=en`), if any. */
  locale?: 'id' | 'en' | null;
}

export const isSupervisor = (a: Actor) => a.role === 'supervisor';
export const isLeaderOf = (a: Actor, team: string) => a.role === 'team_leader' && a.team === team;
