/** The files reports hand to the adapters: written under POSKO_REPORTS_DIR, readable by posko only. */
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Core } from '../app.js';

/** The folder (made 0700 on first use) and a path in it for `name`. */
export async function reportPath(core: Pick<Core, 'config'>, name: string): Promise<string> {
  const dir = resolve(core.config.POSKO_REPORTS_DIR);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  return join(dir, name);
}

/** `2026-12-03T08:00:00Z` → `20261203-1500` in POSKO_TIMEZONE: file names that sort by time. */
export function stamp(core: Pick<Core, 'config'>, at: Date): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: core.config.POSKO_TIMEZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
  return `${get('year')}${get('month')}${get('day')}-${get('hour')}${get('minute')}`;
}

/**
 * Report files are kept only until their upload has surely happened or failed for good: exports
 * (customer data, even masked) a day, charts a week. Run by the digest job.
 */
export const KEEP_MS = { csv: 86_400_000, png: 7 * 86_400_000 } as const;

export async function pruneReports(core: Pick<Core, 'config'>, now: Date): Promise<number> {
  const dir = resolve(core.config.POSKO_REPORTS_DIR);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return 0; // nothing written yet
  }
  let removed = 0;
  for (const name of names) {
    const keep = name.endsWith('.csv') ? KEEP_MS.csv : name.endsWith('.png') ? KEEP_MS.png : null;
    if (keep === null) continue;
    const path = join(dir, name);
    const { mtimeMs } = await stat(path);
    if (now.getTime() - mtimeMs > keep) {
      await rm(path, { force: true });
      removed++;
    }
  }
  return removed;
}
