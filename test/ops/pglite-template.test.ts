import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY_FILE } from '../../src/crypto/key-source.js';
import { type Database, openDatabase } from '../../src/db/index.js';
import { buildTemplate, seedFromTemplate, usableTemplate } from '../../src/db/pglite-template.js';

// Issue 14, B5: a fresh embedded data directory starts from a migrated template. PGlite only:
// the template is an embedded database's files; PostgreSQL never uses it.
const root = mkdtempSync(path.join(tmpdir(), 'posko-template-'));
const template = path.join(root, 'template');
afterAll(() => rmSync(root, { recursive: true, force: true }));
beforeAll(async () => {
  await buildTemplate(template);
}, 120_000);

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? [p, ...filesUnder(p)] : [p];
  });
}

/** What a migrate leaves: drizzle's rows and a listing of the schema (columns, indexes, constraints). */
async function migratedState(database: Database) {
  const rows = (q: ReturnType<typeof sql>) =>
    database.db.execute(q).then((r) => (r as unknown as { rows: unknown[] }).rows);
  return {
    migrations: await rows(sql`select hash, created_at from drizzle.__drizzle_migrations order by id`),
    columns: await rows(sql`select table_name, column_name, data_type, is_nullable, column_default
      from information_schema.columns where table_schema = 'public' order by table_name, column_name`),
    indexes: await rows(
      sql`select tablename, indexname, indexdef from pg_indexes where schemaname = 'public' order by indexname`,
    ),
    constraints: await rows(sql`select conname, pg_get_constraintdef(oid) as def from pg_constraint
      where connamespace = 'public'::regnamespace order by conname`),
    triggers: await rows(sql`select tgname from pg_trigger where not tgisinternal order by tgname`),
  };
}

async function openMigrated(dir: string, templateDir: string | null) {
  const database = await openDatabase({ url: `file://${dir}`, dataDir: '', template: templateDir });
  await database.migrate();
  return database;
}

describe('the migrated PGlite template of a fresh data directory (issue 14, B5)', () => {
  it('holds no data key and no row but drizzle’s migrations', async () => {
    expect(filesUnder(template).some((f) => path.basename(f) === KEY_FILE)).toBe(false);
    const pgdata = usableTemplate(template);
    expect(pgdata).not.toBeNull();
    const copy = path.join(root, 'inspect');
    expect(seedFromTemplate(copy, template)).toBe(true);
    const database = await openDatabase({ url: `file://${copy}`, dataDir: '', template: null });
    try {
      const tables = (await database.db.execute(
        sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
      )) as unknown as { rows: { table_name: string }[] };
      expect(tables.rows.length).toBeGreaterThan(5);
      for (const { table_name } of tables.rows) {
        const n = (await database.db.execute(sql.raw(`select count(*)::int as n from "${table_name}"`))) as unknown as {
          rows: { n: number }[];
        };
        expect(n.rows[0]?.n, table_name).toBe(0);
      }
    } finally {
      await database.close();
    }
  });

  it('a fresh start from the template has the same migrations and schema as a normal migrate, and its own key, owner-only', async () => {
    const fromTemplate = path.join(root, 'from-template');
    const normal = path.join(root, 'normal');
    const a = await openMigrated(fromTemplate, template);
    const b = await openMigrated(normal, null);
    try {
      const [sa, sb] = [await migratedState(a), await migratedState(b)];
      expect(sa.migrations.length).toBeGreaterThan(0);
      expect(sa).toEqual(sb);
    } finally {
      await a.close();
      await b.close();
    }
    // The key was generated in the data directory after the copy: its own, not shared.
    const keyA = readFileSync(path.join(fromTemplate, KEY_FILE), 'utf8');
    expect(keyA).not.toBe(readFileSync(path.join(normal, KEY_FILE), 'utf8'));
    expect(statSync(fromTemplate).mode & 0o777).toBe(0o700);
    for (const f of filesUnder(fromTemplate)) expect(statSync(f).mode & 0o077, f).toBe(0);
  });

  it('a stale template (a migration it applied differs from today’s) is ignored: a normal initdb', async () => {
    const stale = path.join(root, 'stale');
    await buildTemplate(stale);
    const manifestFile = path.join(stale, 'template.json');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    manifest.migrations[0] = 'edited';
    writeFileSync(manifestFile, JSON.stringify(manifest));
    expect(usableTemplate(stale)).toBeNull();
    const dir = path.join(root, 'after-stale');
    expect(seedFromTemplate(dir, stale)).toBe(false);
    expect(existsSync(path.join(dir, 'PG_VERSION'))).toBe(false);
    const database = await openMigrated(dir, stale);
    try {
      expect((await migratedState(database)).migrations.length).toBe(manifest.migrations.length);
    } finally {
      await database.close();
    }
  }, 120_000);

  // Root reads everything, so this shows something only as another user.
  it.skipIf(process.getuid?.() === 0)(
    'a template this user cannot read leaves the directory empty for a normal initdb (no crash)',
    async () => {
      const locked = path.join(root, 'locked');
      await buildTemplate(locked);
      chmodSync(path.join(locked, 'pgdata', 'global'), 0o000);
      const dir = path.join(root, 'after-locked');
      expect(seedFromTemplate(dir, locked)).toBe(false);
      expect(existsSync(path.join(dir, 'PG_VERSION'))).toBe(false);
      chmodSync(path.join(locked, 'pgdata', 'global'), 0o755);
    },
    120_000,
  );

  it('the template is readable by every user (an image runs as another user than its build)', () => {
    for (const f of filesUnder(template)) expect(statSync(f).mode & 0o004, f).toBe(0o004);
  });

  it('an existing data directory is never overwritten by the template', async () => {
    const dir = path.join(root, 'from-template');
    expect(existsSync(path.join(dir, 'PG_VERSION'))).toBe(true);
    expect(seedFromTemplate(dir, template)).toBe(false);
  });
});
