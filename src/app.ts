import { randomUUID } from 'node:crypto';
import type { Config } from './config.js';
import type { Core } from './core.js';
import { openDatabase } from './db/index.js';
import { parseSlaOverrides } from './domain/sla.js';
import { translator } from './i18n/index.js';
import { createLogger, type Logger } from './log.js';
import { ensureAdmins } from './services/roster.js';

export type { Core } from './core.js';

export interface CoreOptions {
  config: Config;
  clock?: () => Date;
  log?: Logger;
  /** Skip applying migrations (the `migrate` command and tests that share a migrated database). */
  skipMigrations?: boolean;
}

export async function createCore(opts: CoreOptions): Promise<{ core: Core; close(): Promise<void> }> {
  const { config } = opts;
  const log = opts.log ?? createLogger(config.LOG_LEVEL);
  const sla = parseSlaOverrides(config.POSKO_SLA_HOURS);
  const database = await openDatabase({
    url: config.DATABASE_URL,
    dataDir: config.POSKO_DATA_DIR,
    dataKeys: { current: config.POSKO_DATA_KEY, previous: config.POSKO_DATA_KEY_PREVIOUS },
  });
  try {
    if (!opts.skipMigrations) await database.migrate();
    const core: Core = {
      db: database.db,
      dbKind: database.kind,
      config,
      clock: opts.clock ?? (() => new Date()),
      t: translator(config.POSKO_LOCALE),
      locale: config.POSKO_LOCALE,
      log,
      sla,
      instanceId: randomUUID().slice(0, 8),
    };
    await ensureAdmins(core, config.POSKO_ADMINS);
    return { core, close: () => database.close() };
  } catch (err) {
    await database.close();
    throw err;
  }
}
