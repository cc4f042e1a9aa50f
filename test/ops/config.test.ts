import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, configSchema, loadConfig } from '../../src/config.js';
import { POSKO_CLI, poskoEnv, ROOT } from '../helpers/posko-process.js';

const PG = process.env.TEST_DATABASE_URL || undefined;

/** The ConfigError's lines, or [] when the environment is valid. */
function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env as NodeJS.ProcessEnv, '');
    return [];
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.message.split('\n');
  }
}

/** The real CLI as a process: exit code and what it wrote. */
function posko(
  args: string[],
  env: NodeJS.ProcessEnv,
  opts: { cwd?: string; stdin?: string; cli?: string[] } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [...(opts.cli ?? POSKO_CLI), ...args], { cwd: opts.cwd ?? ROOT, env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  child.stdin.end(opts.stdin ?? '');
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe('loadConfig: every problem at once, one line each', () => {
  it('reports each bad variable, POSKO_SLA_HOURS included, in one run', () => {
    const lines = problems({
      PORT: 'abc',
      POSKO_LOCALE: 'fr',
      POSKO_SLA_HOURS: 'indihome=12,foo=3',
      MONITA_POLL_CRON: 'every minute',
      DATABASE_URL: 'mysql://root:hunter2@db/posko',
    });
    expect(lines.map((l) => l.split(':')[0]).sort()).toEqual(
      ['DATABASE_URL', 'MONITA_POLL_CRON', 'PORT', 'POSKO_LOCALE', 'POSKO_SLA_HOURS'].sort(),
    );
    expect(lines.find((l) => l.startsWith('POSKO_SLA_HOURS'))).toContain('"foo=3"');
    expect(lines.find((l) => l.startsWith('PORT'))).toContain('(got "abc")');
    // A URL may carry a password: never echoed.
    expect(lines.join('\n')).not.toContain('hunter2');
  });

  it.each([
    [{ SLACK_APP_TOKEN: 'xapp-1' }, 'SLACK_BOT_TOKEN: required with SLACK_APP_TOKEN (Socket Mode)'],
    [{ SLACK_SIGNING_SECRET: 's' }, 'SLACK_BOT_TOKEN: required with SLACK_SIGNING_SECRET (HTTP mode)'],
    [
      { SLACK_BOT_TOKEN: 'xoxb-1' },
      'SLACK_SIGNING_SECRET: required with SLACK_BOT_TOKEN in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)',
    ],
    [{ DISCORD_APPLICATION_ID: '123' }, 'DISCORD_TOKEN: required with DISCORD_APPLICATION_ID'],
  ])('an incomplete chat configuration %j names what is missing', (env, line) => {
    expect(problems(env)).toEqual([line]);
  });

  it.each(['-1', 'setahun', '1.5'])('POSKO_RETENTION_DAYS=%s is one line naming it', (v) => {
    expect(problems({ POSKO_RETENTION_DAYS: v })).toEqual([
      `POSKO_RETENTION_DAYS: a whole number of days, 0 or more (got "${v}")`,
    ]);
  });

  it('POSKO_RETENTION_DAYS defaults to 365; 0 is allowed (every closed ticket)', () => {
    expect(loadConfig({} as NodeJS.ProcessEnv, '').POSKO_RETENTION_DAYS).toBe(365);
    expect(loadConfig({ POSKO_RETENTION_DAYS: '0' } as NodeJS.ProcessEnv, '').POSKO_RETENTION_DAYS).toBe(0);
  });

  it('a half-configured platform is named beside other bad variables', () => {
    expect(problems({ SLACK_APP_TOKEN: 'xapp-1', PORT: '-1' }).map((l) => l.split(':')[0])).toEqual([
      'PORT',
      'SLACK_BOT_TOKEN',
    ]);
  });

  it('complete configurations and a Discord token alone (the application is asked of Discord) are valid', () => {
    expect(problems({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' })).toEqual([]);
    expect(problems({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' })).toEqual([]);
    expect(problems({ DISCORD_TOKEN: 't' })).toEqual([]);
    expect(problems({ SLACK_APP_TOKEN: '  ', SLACK_SIGNING_SECRET: '' })).toEqual([]);
  });
});

describe('the CLI refuses what it cannot run: exit 2, one line per problem', () => {
  it('an incomplete chat configuration stops start instead of falling back to the console', async () => {
    const r = await posko(['start'], poskoEnv({ DATABASE_URL: 'memory://', SLACK_SIGNING_SECRET: 's' }));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('posko: SLACK_BOT_TOKEN: required with SLACK_SIGNING_SECRET (HTTP mode)\n');
    expect(r.stdout).toBe('');
  });

  it('several bad variables are all reported', async () => {
    const r = await posko(['start'], poskoEnv({ DISCORD_APPLICATION_ID: '1', POSKO_SLA_HOURS: 'x=1', PORT: 'no' }));
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(3);
  });

  it('an unreachable database at start is one line naming where it was looked for', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as { port: number };
    await new Promise((resolve) => closed.close(resolve));
    const r = await posko(['start'], poskoEnv({ DATABASE_URL: `postgres://posko:secret@127.0.0.1:${port}/posko` }));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `posko: DATABASE_URL: the database posko at 127.0.0.1:${port} cannot be reached (ECONNREFUSED)\n`,
    );
  });

  it.runIf(PG)('PostgreSQL: a database that does not exist is one line too', async () => {
    const url = new URL(PG!);
    url.pathname = '/posko_no_such_database';
    const r = await posko(['migrate'], poskoEnv({ DATABASE_URL: url.toString() }));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^posko: DATABASE_URL: the database posko_no_such_database at .+ does not exist \(3D000\)\n$/,
    );
  });

  it.each([
    [['start', '--jsn'], 'posko: unknown option --jsn; valid: --json\n'],
    [['migrate', '--force'], 'posko: unknown option --force; it takes none\n'],
    [
      ['job', 'nightly'],
      'posko: unknown job "nightly"; jobs: monita-poll, sla-watch, reminders, digest, housekeeping, retention\n',
    ],
    [['job'], 'posko: which job?; jobs: monita-poll, sla-watch, reminders, digest, housekeeping, retention\n'],
    [
      ['frob'],
      'posko: unknown command "frob"; commands: start, migrate, rotate-key, job, outbox dead, outbox retry, discord register, monita-mock, help\n',
    ],
  ])('posko %j is refused with the valid ones', async (args, line) => {
    const r = await posko(args, poskoEnv({ DATABASE_URL: 'memory://' }));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(line);
  });
});

describe('.env.example copied as is', () => {
  it('is valid and keeps the console quiet: answers on stdout, nothing on stderr', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'posko-env-'));
    try {
      copyFileSync(path.join(ROOT, '.env.example'), path.join(dir, '.env'));
      // Nothing of posko's in the environment, so the .env decides (PORT aside: 3000 may be taken here).
      const env = { ...process.env };
      for (const key of Object.keys(configSchema.shape)) delete env[key];
      env.PORT = '0';
      const cli = [
        '--import',
        pathToFileURL(path.join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href,
        path.join(ROOT, 'src/cli.ts'),
      ];
      const r = await posko(['start', '--json'], env, { cwd: dir, stdin: '/tiket bantuan\n', cli });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout.trim().split('\n').at(-1)).toContain('/tiket buka');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
