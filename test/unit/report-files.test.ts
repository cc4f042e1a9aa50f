import { mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import { pruneReports } from '../../src/reports/files.js';

describe('report files', () => {
  it('exports go after a day, charts after a week, other files stay', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'posko-prune-'));
    const now = new Date('2026-12-10T00:00:00Z');
    const aged = (name: string, hours: number) => {
      const path = join(dir, name);
      writeFileSync(path, 'x');
      const at = new Date(now.getTime() - hours * 3_600_000);
      utimesSync(path, at, at);
    };
    aged('tiket-old.csv', 25);
    aged('tiket-new.csv', 23);
    aged('ringkasan-old.png', 24 * 7 + 1);
    aged('ringkasan-new.png', 24 * 6);
    aged('notes.txt', 24 * 30);
    const removed = await pruneReports({ config: { POSKO_REPORTS_DIR: dir } as Config }, now);
    expect(removed).toBe(2);
    expect(readdirSync(dir).sort()).toEqual(['notes.txt', 'ringkasan-new.png', 'tiket-new.csv']);
  });

  it('a folder not made yet is nothing to prune', async () => {
    const config = { POSKO_REPORTS_DIR: join(tmpdir(), 'posko-never-made-xyz') } as Config;
    expect(await pruneReports({ config }, new Date())).toBe(0);
  });
});
