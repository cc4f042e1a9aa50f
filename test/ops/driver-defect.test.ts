import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { freshDatabase, TEST_DATABASE_URL } from '../helpers/core.js';
import { ROOT } from '../helpers/posko-process.js';

/**
 * src/db/driver-defect.ts exists for this: the postgres-js release in package.json throws an
 * uncaught TypeError when the server drops a connection under a transaction. If this test fails
 * because nothing was thrown, the driver is fixed and the workaround can be removed.
 */
describe.runIf(TEST_DATABASE_URL)('postgres-js: a dropped connection under a transaction (PostgreSQL)', () => {
  it('throws outside any caller; posko recognises it and the same db handle works again', async () => {
    const db = await freshDatabase('posko_defect');
    try {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', 'test/ops/fixtures/driver-defect-child.ts', db.url],
        { cwd: ROOT, timeout: 30_000 },
      );
      const report = JSON.parse(stdout.trim());
      expect(report.uncaught).toBe("TypeError: Cannot read properties of null (reading 'write')");
      expect(report.recovered).toBe(true);
      expect(report.afterwards).toBe('ok');
    } finally {
      await db.drop();
    }
  });
});
