/**
 * monita-poll cost: a tick with the same 50 updates, beside few or many open tickets.
 * The lookup goes through the MONITA-id index, so the tick time should barely move with the
 * number of open tickets. Run: npx tsx bench/monita-poll.ts
 */
import pino from 'pino';
import { createCore } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { tickets } from '../src/db/schema.js';
import { pollMonita } from '../src/jobs/monita-poll.js';
import { createMonitaClient } from '../src/monita/client.js';
import { feedItem, startFakeFeed } from '../test/fakes/monita-feed.js';

const UPDATES = 50;

async function tick(openTickets: number): Promise<number> {
  const config = loadConfig(
    { DATABASE_URL: process.env.BENCH_DATABASE_URL || 'memory://', MONITA_URL: 'http://x' } as NodeJS.ProcessEnv,
    '',
  );
  const { core, close } = await createCore({ config, log: pino({ level: 'silent' }) });
  const feed = await startFakeFeed();
  try {
    const now = new Date();
    const rows = Array.from({ length: openTickets }, (_, i) => ({
      service: 'indihome',
      queue: 'reguler',
      team: 'a',
      customerId: String(122000000000 + i),
      customerName: 'Sari Dewi',
      contact: '+6281234567890',
      complaint: 'Internet mati',
      assignee: 'console:ani',
      openedBy: 'console:ani',
      platform: 'console',
      channel: 'tim-a',
      monitaId: `IN${500000000 + i}`,
      slaDueAt: now,
      createdAt: now,
      updatedAt: now,
    }));
    for (let i = 0; i < rows.length; i += 1000) await core.db.insert(tickets).values(rows.slice(i, i + 1000));
    for (let i = 0; i < UPDATES; i++) feed.log.push(feedItem(`b-${i}`, `IN${500000000 + i}`, 'REPAIRING'));
    const client = createMonitaClient({ baseUrl: feed.url });
    const t0 = performance.now();
    const r = await pollMonita(core, client, now, { pageSize: 100 });
    const ms = performance.now() - t0;
    if (r.posted !== UPDATES) throw new Error(`posted ${r.posted}`);
    return ms;
  } finally {
    await feed.close();
    await close();
  }
}

await tick(UPDATES); // warm-up: JIT and PGlite start-up must not count
const small = await tick(UPDATES);
const large = await tick(20_000);
console.log(
  `monita-poll, ${UPDATES} updates: ${small.toFixed(0)} ms beside ${UPDATES} open tickets, ${large.toFixed(0)} ms beside 20000`,
);
console.log(`ratio large/small: ${(large / small).toFixed(2)} (near 1: cost follows updates, not open tickets)`);
