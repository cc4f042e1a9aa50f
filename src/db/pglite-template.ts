import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { MIGRATIONS_FOLDER, packageRoot } from '../paths.js';

/**
 * A pre-initialised, migrated PGlite data directory, made once at build time (`npm run build`),
 * so a fresh embedded database is a file copy instead of PGlite's initdb (seconds of CPU and
 * some 900 MB at its peak). It holds the empty schema and drizzle's migration rows, nothing
 * else: no data key (the key file is generated in the data directory after the copy) and no
 * row of any table but `drizzle.__drizzle_migrations`.
 *
 * The template records the hashes of the migrations applied to it. It is used only when those
 * are the first of today's migrations in order; drizzle's migrator then applies the rest. A
 * template whose migrations differ (an edited file, another branch) is ignored: a normal initdb.
 *
 * A directory rather than a `dumpDataDir` tarball given to `loadDataDir`: PGlite unpacks a
 * tarball in its in-memory file system and writes it out again (1.7 s and 460 MB at its peak,
 * measured), a copy of the same files costs some 0.1 s and no memory.
 */

/** Where the build puts the template: beside the compiled code, so the image ships it. */
export const DEFAULT_TEMPLATE_DIR = path.join(packageRoot(), 'dist', 'pglite-template');

const MANIFEST = 'template.json';
const PGDATA = 'pgdata';

interface Manifest {
  pglite: string;
  migrations: string[];
}

function currentMigrations(folder = MIGRATIONS_FOLDER): string[] {
  return readMigrationFiles({ migrationsFolder: folder }).map((m) => m.hash);
}

function pgliteVersion(): string {
  const file = path.join(packageRoot(), 'node_modules', '@electric-sql', 'pglite', 'package.json');
  try {
    return String(JSON.parse(readFileSync(file, 'utf8')).version);
  } catch {
    return 'unknown';
  }
}

/** The template's data files when it fits today's migrations and PGlite, else null (stale or absent). */
export function usableTemplate(templateDir: string, migrationsFolder = MIGRATIONS_FOLDER): string | null {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(path.join(templateDir, MANIFEST), 'utf8')) as Manifest;
  } catch {
    return null;
  }
  const pgdata = path.join(templateDir, PGDATA);
  if (!existsSync(path.join(pgdata, 'PG_VERSION'))) return null;
  if (manifest.pglite !== pgliteVersion()) return null;
  const today = currentMigrations(migrationsFolder);
  if (manifest.migrations.length > today.length) return null;
  if (manifest.migrations.some((hash, i) => hash !== today[i])) return null;
  return pgdata;
}

/**
 * Fills an empty data directory from the template; true when it did. PG_VERSION goes last, so a
 * copy cut short is not taken for a database (PGlite would run initdb over it; we refuse below).
 */
export function seedFromTemplate(dataDir: string, templateDir: string | null): boolean {
  if (!templateDir) return false;
  if (existsSync(path.join(dataDir, 'PG_VERSION'))) return false;
  const pgdata = usableTemplate(templateDir);
  if (!pgdata) return false;
  const entries = readdirSync(pgdata);
  // Leftovers of a copy cut short: PostgreSQL's own folders only, never a key file.
  const clear = () => {
    for (const entry of entries) rmSync(path.join(dataDir, entry), { recursive: true, force: true });
  };
  clear();
  try {
    for (const entry of entries)
      if (entry !== 'PG_VERSION') cpSync(path.join(pgdata, entry), path.join(dataDir, entry), { recursive: true });
    cpSync(path.join(pgdata, 'PG_VERSION'), path.join(dataDir, 'PG_VERSION'));
  } catch {
    // A template this user cannot read (or a full disk): PGlite's own initdb instead.
    clear();
    return false;
  }
  return true;
}

/** Readable by every user (it holds no secret), so an image's non-root user can copy it. */
function readableByAll(dir: string): void {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) readableByAll(file);
    else chmodSync(file, 0o644);
  }
}

/**
 * Builds the template in `outDir`: a new PGlite database, migrated, closed cleanly. Written
 * beside and renamed into place, so a reader never sees half a template.
 */
export async function buildTemplate(outDir = DEFAULT_TEMPLATE_DIR, migrationsFolder = MIGRATIONS_FOLDER) {
  const [{ PGlite }, { drizzle }, { migrate }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('drizzle-orm/pglite'),
    import('drizzle-orm/pglite/migrator'),
  ]);
  const work = `${outDir}.tmp-${process.pid}`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(path.join(work, PGDATA), { recursive: true, mode: 0o700 });
  const client = new PGlite(path.join(work, PGDATA));
  try {
    await client.waitReady;
    await migrate(drizzle(client) as never, { migrationsFolder });
  } finally {
    await client.close();
  }
  const manifest: Manifest = { pglite: pgliteVersion(), migrations: currentMigrations(migrationsFolder) };
  writeFileSync(path.join(work, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  readableByAll(work);
  rmSync(outDir, { recursive: true, force: true });
  renameSync(work, outDir);
}
