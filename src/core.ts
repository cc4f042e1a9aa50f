import type { Config } from './config.js';
import type { Db } from './db/types.js';
import type { SlaTable } from './domain/sla.js';
import type { Locale, Translate } from './i18n/index.js';
import type { Logger } from './log.js';
import type { MonitaClient } from './monita/client.js';

/** Everything a command, a service or a job needs; built once per process. */
export interface Core {
  db: Db;
  dbKind: 'pglite' | 'postgres';
  config: Config;
  clock: () => Date;
  t: Translate;
  locale: Locale;
  log: Logger;
  sla: SlaTable;
  /** Distinguishes posko processes sharing one database (job runs, outbox claims). */
  instanceId: string;
  /** The MONITA feed (the in-process mock when MONITA_URL is unset); set by the runtime. */
  monita?: MonitaClient;
}
