/**
 * Issue 12 defect 8 (first half): a database that refuses logins — SQLSTATE 55000 "not currently
 * accepting connections", 57P03 "cannot connect now", 28000 "not permitted to log in" — is
 * `unavailable` with the "database away" message, not an internal error.
 */
import pino from 'pino';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../src/app.js';
import { runCommandLine, unexpectedFailure } from '../../src/command/dispatch.js';
import { loadConfig } from '../../src/config.js';
import { isDatabaseUnavailable } from '../../src/db/index.js';
import { freshDatabase, startTestCore, TEST_DATABASE_URL, type TestCore } from '../helpers/core.js';
import { TEST_DATA_KEY } from '../helpers/data-key.js';

let t: TestCore;
beforeAll(async () => {
  t = await startTestCore();
});
afterAll(() => t?.close());

/** The shape drizzle over postgres-js gives (as seen from a real server): the SQLSTATE on the cause. */
function refusal(code: string, message: string): Error {
  const server = Object.assign(new Error(message), { name: 'PostgresError', code, severity: 'FATAL' });
  return Object.assign(new Error('Failed query: select 1\nparams: ', { cause: server }), {
    query: 'select 1',
    params: [],
  });
}

describe('issue 12 defect 8: login refusals are unavailable', () => {
  it.each([
    ['55000', 'database "posko" is not currently accepting connections'],
    ['57P03', 'the database system is starting up'],
    ['57P03', 'the database system is in recovery mode'],
    ['28000', 'role "posko" is not permitted to log in'],
    ['28P01', 'password authentication failed for user "posko"'],
  ])('defect 8: SQLSTATE %s (%s) answers unavailable with the database-away message', (code, message) => {
    const err = refusal(code, message);
    expect(isDatabaseUnavailable(err)).toBe(true);
    const reply = unexpectedFailure(t.core, err, { command: 'lihat' });
    expect(reply.error).toBe('unavailable');
    expect(reply.text).toBe(t.core.t('err.unavailable'));
  });

  it.each([
    ['55000', 'cannot ALTER TABLE because it is being used'],
    ['55P03', 'canceling statement due to lock timeout'],
    ['23505', 'duplicate key value violates unique constraint'],
  ])('defect 8: SQLSTATE %s (%s) is not taken for a refused login', (code, message) => {
    expect(isDatabaseUnavailable(refusal(code, message))).toBe(false);
  });

  it.skipIf(!TEST_DATABASE_URL)(
    'defect 8: a real PostgreSQL database that takes no connections (55000) makes a command unavailable (skipped on PGlite: no server to refuse)',
    async () => {
      const db = await freshDatabase('posko_refuse');
      const name = new URL(db.url).pathname.slice(1);
      const admin = postgres(TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
      await admin.unsafe(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
      const config = loadConfig(
        { DATABASE_URL: db.url, POSKO_DATA_KEY: TEST_DATA_KEY, LOG_LEVEL: 'silent' } as NodeJS.ProcessEnv,
        '',
      );
      const { core, close } = await createCore({ config, log: pino({ level: 'silent' }), skipMigrations: true });
      try {
        const out = await runCommandLine(
          core,
          { platform: 'console', userId: 'ani', channel: 'c' },
          'lihat GGN-000001',
        );
        expect(out.error).toBe('unavailable');
        expect(out.replies[0]?.text).toBe(core.t('err.unavailable'));
      } finally {
        await close();
        await admin.unsafe(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
        await admin.end();
        await db.drop();
      }
    },
    30_000,
  );
});
