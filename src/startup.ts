import { type Core, type CoreOptions, createCore } from './app.js';
import type { Config } from './config.js';
import { isDatabaseUnavailable } from './db/index.js';

/** A start that cannot go on for a reason the operator fixes (exit 2, one line, no stack). */
export class StartupError extends Error {}

/** SQLSTATEs that mean "this database, with these credentials, is not there for us". */
const NOT_THERE: Record<string, string> = {
  '3D000': 'does not exist',
  '28P01': 'refused the login',
  '28000': 'refused the login',
  '42501': 'refused the access',
};

/**
 * createCore for a command's start: a database that cannot be reached, does not exist or refuses
 * the login is one line naming where it was looked for (never the password), not a stack.
 */
export async function openCoreAtStart(opts: CoreOptions): Promise<{ core: Core; close(): Promise<void> }> {
  try {
    return await createCore(opts);
  } catch (err) {
    const reason = databaseFailure(err);
    if (!reason) throw err;
    throw new StartupError(`${describeDatabase(opts.config)} ${reason}`);
  }
}

function databaseFailure(err: unknown): string | undefined {
  const e = err as { code?: string; errno?: string; cause?: unknown };
  const code = String(e?.code ?? e?.errno ?? '');
  if (NOT_THERE[code]) return `${NOT_THERE[code]} (${code})`;
  if (['ENOTFOUND', 'EAI_AGAIN'].includes(code)) return `cannot be reached: unknown host (${code})`;
  if (['EACCES', 'EPERM', 'ENOTDIR', 'EROFS'].includes(code)) return `cannot be opened (${code})`;
  if (isDatabaseUnavailable(err)) return `cannot be reached (${code || 'no answer'})`;
  return e?.cause ? databaseFailure(e.cause) : undefined;
}

function describeDatabase(config: Config): string {
  const url = config.DATABASE_URL;
  if (!url) return `POSKO_DATA_DIR: the embedded database in ${config.POSKO_DATA_DIR}`;
  if (!/^postgres(ql)?:/.test(url)) return `DATABASE_URL: the embedded database at ${url}`;
  try {
    const u = new URL(url);
    return `DATABASE_URL: the database ${u.pathname.slice(1) || '(default)'} at ${u.hostname}:${u.port || 5432}`;
  } catch {
    return 'DATABASE_URL: the database';
  }
}
