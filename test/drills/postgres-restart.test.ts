import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyRing } from '../../src/crypto/keys.js';
import { unseal } from '../../src/crypto/seal.js';
import { id as idCatalogue } from '../../src/i18n/id.js';
import { customerId, openLine, TEST_DATABASE_URL } from '../helpers/core.js';
import { TEST_DATA_KEY } from '../helpers/data-key.js';
import { ConsoleProcess } from './console-process.js';
import { canRunPrivateCluster, type PrivateCluster, startPrivateCluster } from './private-cluster.js';

/**
 * Fault drill: the PostgreSQL server restarts under a running posko. The cluster is this file's
 * own (stopping the shared server would break everyone else's tests); the run with
 * TEST_DATABASE_URL is the PostgreSQL run, so the PGlite run skips it.
 */
const runs = Boolean(TEST_DATABASE_URL) && canRunPrivateCluster();

let cluster: PrivateCluster | undefined;
let posko: ConsoleProcess | undefined;

beforeAll(async () => {
  if (!runs) return;
  cluster = await startPrivateCluster();
}, 60_000);

afterAll(async () => {
  posko?.kill();
  cluster?.remove();
});

const UNAVAILABLE = idCatalogue['err.unavailable'];

async function until(done: () => Promise<boolean>, what: string, capMs = 20_000): Promise<void> {
  const start = Date.now();
  while (!(await done())) {
    if (Date.now() - start > capMs) throw new Error(`not reached: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(!runs)('drill: PostgreSQL restarted while commands are in flight', () => {
  it('answers unavailable during the outage, writes nothing half, and the same process serves and runs jobs after', async () => {
    const c = cluster as PrivateCluster;
    const p = new ConsoleProcess({
      DATABASE_URL: c.url,
      POSKO_LOCALE: 'id',
      // monita-poll every second, so the scheduler's own ticks are seen failing and resuming.
      MONITA_POLL_CRON: '* * * * * *',
      LOG_LEVEL: 'warn',
    });
    posko = p;
    const before = [customerId(), customerId()];
    const inFlight = customerId();
    const duringOutage = customerId();

    for (const id of before) expect((await p.type(`/tiket ${openLine(id)}`)).error).toBeNull();
    expect((await p.type('job sla-watch')).error).toBeNull();

    // A `buka` is held inside its transaction (the test holds the tickets table), then the server
    // dies under it: the command is in flight when the connection drops.
    const admin = postgres(c.url, { max: 2, onnotice: () => {} });
    const holder = await admin.reserve();
    await holder`BEGIN`;
    await holder`LOCK TABLE tickets IN ACCESS EXCLUSIVE MODE`;
    const held = p.type(`/tiket ${openLine(inFlight)}`);
    const queued = p.type('/tiket lihat GGN-000001'); // waits behind it in the console's queue
    await until(async () => {
      const [row] = await admin`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock'`;
      return (row?.n ?? 0) > 0;
    }, 'the buka waiting on the lock');

    c.stop('immediate');
    const stoppedAt = new Date();
    holder.release();
    await admin.end({ timeout: 1 }).catch(() => {});

    for (const answer of [await held, await queued]) {
      expect(answer.error).toBe('unavailable');
      expect(answer.text).toBe(UNAVAILABLE);
    }
    // Down: commands and a manual job answer unavailable, in Indonesian, and nothing crashes.
    for (const line of [`/tiket ${openLine(duringOutage)}`, '/tiket daftar', 'job sla-watch']) {
      const answer = await p.type(line);
      expect(answer.error, line).toBe('unavailable');
      expect(answer.text).toBe(UNAVAILABLE);
    }
    // Let the scheduler's every-second ticks and the background delivery fail a few times.
    await new Promise((r) => setTimeout(r, 2500));
    expect(p.alive).toBe(true);

    // The outage ends when the server starts accepting, inside c.start(): a tick may land before
    // c.start() returns, so the outage is measured up to the call, the recovery from its return.
    const restartingAt = new Date();
    c.start();
    const restartedAt = new Date();

    // The same process, without a restart of its own: the held customer opens now as a new ticket.
    const reopened = await p.type(`/tiket ${openLine(inFlight)}`);
    expect(reopened.error).toBeNull();
    expect((await p.type('/tiket lihat GGN-000001')).error).toBeNull();
    expect((await p.type('job sla-watch')).error).toBeNull();

    const sql = postgres(c.url, { max: 1, onnotice: () => {} });
    try {
      // The scheduler resumed by itself: a monita-poll tick after the restart, finished ok.
      await until(async () => {
        const rows = await sql`SELECT 1 FROM job_runs WHERE job = 'monita-poll' AND slot > ${restartedAt} AND ok`;
        return rows.length > 0;
      }, 'a scheduled tick after the restart');
      const gap =
        await sql`SELECT 1 FROM job_runs WHERE job = 'monita-poll' AND slot > ${stoppedAt} AND slot < ${restartingAt}`;
      expect(gap).toHaveLength(0); // ticks during the outage were skipped, not half recorded

      // sla-watch's own every-minute tick may also land during the drill; only the manual runs count.
      const manual =
        await sql`SELECT ok FROM job_runs WHERE job = 'sla-watch' AND instance LIKE 'manual:%' ORDER BY slot`;
      expect(manual.map((r) => r.ok)).toEqual([true, true]); // before and after; the failed one left nothing

      // Nothing half written: the tickets are exactly the commands that answered ok.
      const tickets = await sql`SELECT id, customer_id FROM tickets ORDER BY id`;
      const ring = keyRing(TEST_DATA_KEY); // the key the console processes were given (poskoEnv)
      expect(tickets.map((t) => unseal(ring, 'customer_id', t.customer_id)).sort()).toEqual(
        [...before, inFlight].sort(),
      );
      const withoutOpen = await sql`
        SELECT t.id FROM tickets t
        WHERE NOT EXISTS (SELECT 1 FROM ticket_events e WHERE e.ticket_id = t.id AND e.type = 'opened')`;
      expect(withoutOpen).toHaveLength(0);
      const orphanEvents = await sql`
        SELECT e.id FROM ticket_events e WHERE NOT EXISTS (SELECT 1 FROM tickets t WHERE t.id = e.ticket_id)`;
      expect(orphanEvents).toHaveLength(0);
      const orphanOutbox = await sql`
        SELECT o.id FROM outbox o
        WHERE COALESCE(o.payload->'track'->>'ticketCard', o.payload->>'threadOfTicket',
                       o.payload->'target'->>'ticketCard') IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM tickets t WHERE t.id = COALESCE(o.payload->'track'->>'ticketCard',
                       o.payload->>'threadOfTicket', o.payload->'target'->>'ticketCard')::bigint)`;
      expect(orphanOutbox).toHaveLength(0);
      // Every card was delivered (to the console) once the server was back.
      await until(async () => {
        const pending = await sql`SELECT 1 FROM outbox WHERE status <> 'sent'`;
        return pending.length === 0;
      }, 'the outbox drained');
    } finally {
      await sql.end({ timeout: 1 });
    }

    // The scheduler said it skipped its ticks while the server was down, and went on.
    expect(p.stderr).toContain('job tick skipped: database unreachable');
    // …in one short line per tick, not node-cron's own error with its SQL beside it.
    expect(p.stderr).not.toContain('Run coordinator failed');
    expect(await p.end()).toBe(0);
    expect(p.stderr).not.toMatch(/unhandled rejection/i);
  }, 60_000);
});
