/**
 * Issue 12 defect 1: an unexpected database error (here a real lock timeout on PostgreSQL) used
 * to log drizzle's query error whole — its message, stack and `params` carry the statement's
 * values: the customer's name, ID, phone and complaint. The whole log output at LOG_LEVEL=trace
 * must hold none of them, in any format.
 */
import { Writable } from 'node:stream';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../../src/app.js';
import { runCommandLine } from '../../src/command/dispatch.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { seedDemoRoster } from '../../src/services/roster.js';
import { freshDatabase, TEST_DATABASE_URL, type TestDb } from '../helpers/core.js';
import { TEST_DATA_KEY } from '../helpers/data-key.js';

const CUSTOMER = {
  name: 'Kartika Wulandari',
  id: '122177665544',
  phoneTyped: '0813-7766-5544',
  complaint: 'modem berkedip merah sejak banjir kemarin sore',
};
const REPEAT = { name: 'Bambang Sutrisno', id: '122199887766', phoneTyped: '+62 857 9988 7766' };

/** Each value in every form a log line could carry it. */
function needles(): string[] {
  const out = [CUSTOMER.name, CUSTOMER.id, CUSTOMER.complaint, REPEAT.name, REPEAT.id];
  for (const typed of [CUSTOMER.phoneTyped, REPEAT.phoneTyped]) {
    const national = typed.replace(/\D/g, '').replace(/^(62|0)/, '');
    out.push(typed, `0${national}`, `62${national}`, `+62${national}`, national);
  }
  return out;
}

// PGlite has one connection: no second session can hold a lock while posko waits for it.
describe.skipIf(!TEST_DATABASE_URL)('defect 1 on PostgreSQL (skipped on PGlite: a lock needs a second session)', () => {
  let db: TestDb;
  let core: Core;
  let close: () => Promise<void>;
  let holder: postgres.Sql;
  let log = '';

  beforeAll(async () => {
    db = await freshDatabase('posko_locklog');
    const admin = postgres(db.url, { max: 1, onnotice: () => {} });
    // Every posko session gives up on a lock after 300 ms.
    await admin.unsafe(`ALTER DATABASE "${new URL(db.url).pathname.slice(1)}" SET lock_timeout = '300ms'`);
    await admin.end();
    const sink = new Writable({
      write(chunk, _encoding, done) {
        log += String(chunk);
        done();
      },
    });
    const config = loadConfig(
      { DATABASE_URL: db.url, POSKO_DATA_KEY: TEST_DATA_KEY, LOG_LEVEL: 'trace' } as NodeJS.ProcessEnv,
      '',
    );
    ({ core, close } = await createCore({ config, log: createLogger('trace', 'posko', sink) }));
    await seedDemoRoster(core);
    holder = postgres(db.url, { max: 1, onnotice: () => {} });
  }, 60_000);

  afterAll(async () => {
    await holder?.end();
    await close?.();
    await db?.drop();
  });

  const run = (line: string) => runCommandLine(core, { platform: 'console', userId: 'ani', channel: 'team-a' }, line);
  const open = (c: { name: string; id: string; phoneTyped: string }, complaint: string) =>
    run(`buka layanan=indihome id=${c.id} nama="${c.name}" kontak="${c.phoneTyped}" keluhan="${complaint}"`);

  it('defect 1: a lock timeout while opening a ticket (the insert carries every customer value) logs none of them at trace level', async () => {
    const repeat = await open(REPEAT, 'internet putus');
    expect(repeat.error).toBeNull();
    const number = repeat.replies[0]!.ticket!;

    // One session holds the locks posko needs: inserts into tickets, and the repeat customer's row.
    const failures = await holder.begin(async (tx) => {
      await tx`LOCK TABLE tickets IN SHARE MODE`;
      await tx`SELECT id FROM tickets WHERE number = ${number} FOR UPDATE`;
      return [
        await open(CUSTOMER, CUSTOMER.complaint),
        await open(REPEAT, `${REPEAT.name} telepon lagi ke ${REPEAT.phoneTyped}`),
        await run(`catat ${number} ${REPEAT.name} minta dihubungi di ${REPEAT.phoneTyped}`),
      ];
    });
    for (const outcome of failures) expect(outcome.error).toBe('unavailable');

    const lines = log.split('\n').filter(Boolean);
    // The failures were logged, with what an operator needs: the statement and the SQLSTATE.
    const failed = lines.filter((l) => l.includes('"command failed"'));
    expect(failed.length).toBe(3);
    expect(failed.every((l) => l.includes('lock timeout') && l.includes('Failed query'))).toBe(true);
    expect(core.log.isLevelEnabled('trace')).toBe(true);

    const leaks = needles().flatMap((needle) =>
      lines
        .filter((l) => l.toLowerCase().includes(needle.toLowerCase()))
        .map((l) => ({ needle, line: l.slice(0, 300) })),
    );
    expect(leaks).toEqual([]);
  }, 60_000);
});
