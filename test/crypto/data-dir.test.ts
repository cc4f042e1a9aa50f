import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { KEY_FILE } from '../../src/crypto/key-source.js';
import { runConsoleScript } from '../helpers/posko-process.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** The real `posko start --json` under umask 022, fed `script`, to its exit; its replies as one text. */
async function runUnderUmask022(env: Record<string, string>, script: string[]) {
  const run = await runConsoleScript(script, env, { umask: '022' });
  return { ...run, stdout: run.lines.map((l) => JSON.stringify(l)).join('\n') };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? [p, ...filesUnder(p)] : [p];
  });
}

const NAME = 'Kusumawardhani Prameswari';
const ID = '122987654321';
const PHONE = '81355598765';

describe('the embedded data directory (issue 12 defect 3)', () => {
  it('under umask 022: a key file 0600 is generated, the directory is 0700, no file is group/other accessible, and no customer value is on disk', async () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'posko-dir-')), 'data');
    dirs.push(path.dirname(dir));
    const run = await runUnderUmask022(
      { DATABASE_URL: pathToFileURL(dir).href, POSKO_DATA_KEY: '', LOG_LEVEL: 'warn' },
      [
        `/tiket buka layanan=indihome id=${ID} nama="${NAME}" kontak=0${PHONE} keluhan="internet mati total"`,
        `/tiket kabari GGN-000001 pelanggan ditelepon`,
      ],
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('GGN-000001');

    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(dir, KEY_FILE)).mode & 0o777).toBe(0o600);
    const files = filesUnder(dir);
    expect(files.length).toBeGreaterThan(50);
    const open = files.filter((f) => statSync(f).mode & 0o077).map((f) => path.relative(dir, f));
    expect(open).toEqual([]);

    const disk = files
      .filter((f) => statSync(f).isFile())
      .map((f) => readFileSync(f).toString('latin1'))
      .join('\n');
    expect(disk).toContain('console:ani'); // the scan does see plaintext the database holds
    // (the masked card in the outbox may show the first name, by DESIGN §7's masking: the full name may not)
    for (const secret of [NAME, ID, PHONE, 'internet mati total']) expect(disk).not.toContain(secret);

    // A second start reads the same key file: the first run's ticket opens.
    const again = await runUnderUmask022({ DATABASE_URL: pathToFileURL(dir).href, POSKO_DATA_KEY: '' }, [
      '/tiket lihat GGN-000001',
    ]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('Kusumawardhani');
  }, 120_000);

  it('start on PostgreSQL without POSKO_DATA_KEY exits 2 naming it', async () => {
    const run = await runUnderUmask022({ DATABASE_URL: 'postgres://posko@127.0.0.1:1/none', POSKO_DATA_KEY: '' }, []);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/POSKO_DATA_KEY: required with a PostgreSQL DATABASE_URL/);
  }, 60_000);
});
