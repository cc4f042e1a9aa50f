import { createServer } from 'node:net';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createCore } from '../../src/app.js';
import { runCommandLine } from '../../src/command/dispatch.js';
import { loadConfig } from '../../src/config.js';
import { customerId, openLine, startTestCore, type TestCore } from '../helpers/core.js';
import { TEST_DATA_KEY } from '../helpers/data-key.js';

let t: TestCore | undefined;
afterAll(() => t?.close());

describe('a dead database', () => {
  it('gives unavailable to the caller, in the user language, and the process keeps serving', async () => {
    t = await startTestCore();
    expect((await t.run('ani', openLine(customerId()))).error).toBeNull();
    // The embedded database goes away under a running core.
    const { core } = t;
    const closed = await createCore({
      config: loadConfig({ DATABASE_URL: 'memory://', LOG_LEVEL: 'silent' } as NodeJS.ProcessEnv, ''),
      log: pino({ level: 'silent' }),
      skipMigrations: true,
    });
    await closed.close();
    const dead = { ...core, db: closed.core.db };
    const out = await runCommandLine(
      dead,
      { platform: 'console', userId: 'ani', channel: 'c' },
      openLine(customerId()),
    );
    expect(out.error).toBe('unavailable');
    expect(out.replies[0]?.text).toBe(core.t('err.unavailable'));
    // The same process still answers on a live database.
    expect((await t.run('ani', 'daftar')).error).toBeNull();
  });

  it('a PostgreSQL server that is not there is unavailable, not a crash', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const config = loadConfig(
      {
        DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/none`,
        LOG_LEVEL: 'silent',
        POSKO_DATA_KEY: TEST_DATA_KEY,
      } as NodeJS.ProcessEnv,
      '',
    );
    const { core, close } = await createCore({ config, log: pino({ level: 'silent' }), skipMigrations: true });
    try {
      const out = await runCommandLine(core, { platform: 'console', userId: 'ani', channel: 'c' }, 'lihat GGN-000001');
      expect(out.error).toBe('unavailable');
    } finally {
      await close();
    }
  });
});
