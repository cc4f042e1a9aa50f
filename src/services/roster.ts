import { eq, sql } from 'drizzle-orm';
import type { Core } from '../core.js';
import { reusable } from '../db/reusable.js';
import { roster } from '../db/schema.js';
import { DomainError } from '../domain/errors.js';
import { type Actor, isSupervisor, ROLE_WORDS, type Role } from '../domain/roles.js';
import { isQueue, type Queue } from '../domain/service-lines.js';
import { type Locale, localeFromTag } from '../i18n/index.js';
import { transaction } from './tx.js';

type CoreLike = Pick<Core, 'db' | 'clock'>;
/** The database or a transaction: inside a transaction every query must use it (PGlite has one connection). */
type Reader = Pick<Core['db'], 'select'>;
const reader = (from: Reader | CoreLike): Reader => ('db' in from ? from.db : from);

// Every command asks this first: built once (B1).
const rosterEntry = reusable((db) =>
  db
    .select()
    .from(roster)
    .where(eq(roster.userKey, sql.placeholder('userKey'))),
);

export async function getActor(core: CoreLike, userKey: string): Promise<Actor> {
  const [row] = await rosterEntry(core.db, { userKey });
  if (!row) return { userKey, role: null, team: '', queue: 'reguler' };
  const locale = row.locale === 'en' || row.locale === 'id' ? row.locale : null;
  return { userKey, role: row.role as Role, team: row.team, queue: row.queue, locale };
}

/** POSKO_ADMINS are supervisors from the start; an existing roster entry is left as it is. */
export async function ensureAdmins(core: CoreLike, admins: readonly string[]): Promise<void> {
  if (admins.length === 0) return;
  const now = core.clock();
  await core.db
    .insert(roster)
    .values(
      admins.map((userKey) => ({
        userKey,
        role: 'supervisor',
        team: 'a',
        queue: 'reguler',
        updatedAt: now,
        updatedBy: 'POSKO_ADMINS',
      })),
    )
    .onConflictDoNothing();
}

/** The console's demo team, seeded only on an empty roster. */
export async function seedDemoRoster(core: CoreLike): Promise<boolean> {
  const [count] = await core.db.select({ n: sql<number>`count(*)::int` }).from(roster);
  if ((count?.n ?? 0) > 0) return false;
  const now = core.clock();
  const demo: [string, Role][] = [
    ['console:ani', 'agent'],
    ['console:budi', 'team_leader'],
    ['console:citra', 'supervisor'],
  ];
  await core.db
    .insert(roster)
    .values(
      demo.map(([userKey, role]) => ({
        userKey,
        role,
        team: 'a',
        queue: 'reguler',
        updatedAt: now,
        updatedBy: 'demo',
      })),
    )
    .onConflictDoNothing();
  return true;
}

export interface RoleChange {
  userKey: string;
  role: Role;
  team: string;
  queue: Queue;
  previous: Role | null;
  locale: Locale | null;
}

/** `bahasa=`: a catalogue's code, or `auto` to follow the platform again. */
function parseLanguage(word: string | undefined, before: Locale | null): Locale | null {
  if (word === undefined) return before;
  const w = word.trim().toLowerCase();
  if (w === 'auto') return null;
  const locale = localeFromTag(w);
  if (!locale)
    throw new DomainError('invalid_input', 'err.badLanguage', { option: 'bahasa', value: word.slice(0, 10) });
  return locale;
}

/** `peran`: supervisors set anyone's role; team and queue keep their old values unless given. */
export async function setRole(
  core: CoreLike,
  actor: Actor,
  target: string,
  roleWord: string,
  team?: string,
  queue?: string,
  language?: string,
): Promise<RoleChange> {
  if (!isSupervisor(actor)) throw new DomainError('forbidden', 'err.supervisorOnly');
  const role = ROLE_WORDS[roleWord.toLowerCase()];
  if (!role) throw new DomainError('invalid_input', 'err.badRole', { option: 'peran', value: roleWord });
  if (team !== undefined && !/^[a-z0-9][a-z0-9_-]{0,31}$/i.test(team))
    throw new DomainError('invalid_input', 'err.badTeam', { option: 'tim', value: team });
  if (queue !== undefined && !isQueue(queue.toLowerCase()))
    throw new DomainError('invalid_input', 'err.badQueue', { option: 'antrian', value: queue });
  const before = await getActor(core, target);
  const next = {
    userKey: target,
    role,
    team: team?.toLowerCase() ?? (before.team || actor.team || 'a'),
    queue: (queue?.toLowerCase() ?? before.queue) as Queue,
    locale: parseLanguage(language, before.locale ?? null),
  };
  const now = core.clock();
  await transaction(core, (tx) =>
    tx
      .insert(roster)
      .values({ ...next, updatedAt: now, updatedBy: actor.userKey })
      .onConflictDoUpdate({
        target: roster.userKey,
        set: {
          role: next.role,
          team: next.team,
          queue: next.queue,
          locale: next.locale,
          updatedAt: now,
          updatedBy: actor.userKey,
        },
      }),
  );
  return { ...next, previous: before.role };
}

/** Team leaders of a team, for mentions in escalation requests and SLA alerts. */
export async function leadersOf(from: Reader | CoreLike, team: string): Promise<string[]> {
  const rows = await reader(from)
    .select({ userKey: roster.userKey })
    .from(roster)
    .where(sql`${roster.role} = 'team_leader' AND ${roster.team} = ${team}`);
  return rows.map((r) => r.userKey);
}

export async function supervisors(from: Reader | CoreLike): Promise<string[]> {
  const rows = await reader(from).select({ userKey: roster.userKey }).from(roster).where(eq(roster.role, 'supervisor'));
  return rows.map((r) => r.userKey);
}
