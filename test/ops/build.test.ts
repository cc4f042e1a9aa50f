import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { poskoEnv, ROOT } from '../helpers/posko-process.js';

/**
 * `npm run build` compiles to dist/, and bin/posko.js (what `npx posko` and `npm start` run) is
 * that JavaScript under plain node: no tsx loader, migrations found from dist/, and the migrated
 * PGlite template of fresh data directories built into dist/pglite-template.
 */
describe('the compiled start', () => {
  it('npm run build, then bin/posko.js migrates an empty database and answers a command', async () => {
    await promisify(execFile)('npm', ['run', 'build'], { cwd: ROOT });
    expect(existsSync(path.join(ROOT, 'dist/src/cli.js'))).toBe(true);
    // Issue 14, B5: the build also leaves the migrated template of fresh PGlite data directories.
    expect(existsSync(path.join(ROOT, 'dist/pglite-template/template.json'))).toBe(true);
    const child = spawn(process.execPath, ['bin/posko.js', 'start', '--json'], {
      cwd: ROOT,
      env: poskoEnv({ DATABASE_URL: 'memory://', NODE_OPTIONS: '' }),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.stdin.end('/tiket bantuan\n');
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const last = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
    expect(last).toMatchObject({ audience: 'ephemeral', error: null });
    expect(last.text).toContain('/tiket buka');
  }, 240_000); // the build includes the template's initdb
});
