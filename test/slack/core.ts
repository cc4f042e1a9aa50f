import pino from 'pino';
import postgres from 'postgres';
import { createCore } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { TEST_DATA_KEY } from '../helpers/data-key.js';

/**
 * A real posko core for one Slack test file: in-memory PGlite, or with TEST_DATABASE_URL a fresh
 * PostgreSQL database of its own (dropped at the end), so ticket numbers and dedupe keys of other
 * test files never meet ours.
 */
export async function startSlackTestCore(opts: { clock: () => Date; env?: Record<string, string> }) {
  const pgUrl = process.env.TEST_DATABASE_URL || undefined;
  let url = 'memory://';
  let drop = async () => {};
  if (pgUrl) {
    const admin = postgres(pgUrl, { max: 1, onnotice: () => {} });
    const name = `posko_slack_${Math.random().toString(36).slice(2, 10)}`;
    await admin.unsafe(`CREATE DATABASE ${name}`);
    const u = new URL(pgUrl);
    u.pathname = `/${name}`;
    url = u.toString();
    drop = async () => {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    };
  }
  const config = loadConfig(
    { DATABASE_URL: url, LOG_LEVEL: 'warn', POSKO_DATA_KEY: TEST_DATA_KEY, ...opts.env } as NodeJS.ProcessEnv,
    '',
  );
  const log = pino({ level: process.env.POSKO_TEST_LOG ?? 'silent' }, pino.destination(2));
  const { core, close } = await createCore({ config, clock: opts.clock, log });
  return {
    core,
    close: async () => {
      await close();
      await drop();
    },
  };
}
