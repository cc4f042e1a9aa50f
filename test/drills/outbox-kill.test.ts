import { once } from 'node:events';
import pino from 'pino';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { enqueue } from '../../src/outbox/enqueue.js';
import { FakeSlackApi } from '../fakes/slack/web-api.js';
import { freshDatabase, TEST_DATABASE_URL, type TestDb } from '../helpers/core.js';
import { TEST_DATA_KEY } from '../helpers/data-key.js';
import { freePort, type PoskoProcess, startPoskoProcess } from '../helpers/posko-process.js';

/**
 * Fault drill: a posko process is SIGKILLed while its outbox is delivering to Slack, and a new one
 * takes over on the same database. Two processes on one database need PostgreSQL (PGlite is one
 * process's database), so the PGlite run skips this file.
 */
const CHANNELS = 8;
const PER_CHANNEL = 5;
const markers = Array.from({ length: CHANNELS * PER_CHANNEL }, (_, i) => `drill-msg-${String(i).padStart(3, '0')}`);
const channelOf = (i: number) => `CDRILL${i % CHANNELS}`;

let db: TestDb | undefined;
let api: FakeSlackApi | undefined;
const started: PoskoProcess[] = [];

beforeAll(async () => {
  if (!TEST_DATABASE_URL) return;
  db = await freshDatabase('posko_drill_kill');
  api = await new FakeSlackApi().start();
}, 60_000);

afterAll(async () => {
  for (const { child } of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await api?.close();
  await db?.drop();
});

/** The real `posko start` in Slack mode against the fake Web API; resolves once it is ready. */
async function startPosko(url: string, slackApi: FakeSlackApi): Promise<PoskoProcess> {
  const posko = await startPoskoProcess({
    DATABASE_URL: url,
    SLACK_BOT_TOKEN: 'xoxb-drill',
    SLACK_SIGNING_SECRET: 'drill-secret',
    SLACK_API_URL: slackApi.apiUrl,
    PORT: String(await freePort()),
    LOG_LEVEL: 'info',
  });
  started.push(posko);
  return posko;
}

const postsOf = (slackApi: FakeSlackApi, marker: string) =>
  slackApi.posted.filter((m) => m.text.includes(marker) && m.metadata?.event_type === 'posko_outbox');

describe.skipIf(!TEST_DATABASE_URL)('drill: posko SIGKILLed during outbox delivery, then restarted', () => {
  it('delivers every message exactly once and records its Slack ts on the row', async () => {
    const url = (db as TestDb).url;
    const slack = api as FakeSlackApi;
    // The schema, then the backlog, queued the way the product queues (enqueue in a transaction).
    const config = loadConfig(
      { DATABASE_URL: url, LOG_LEVEL: 'silent', POSKO_DATA_KEY: TEST_DATA_KEY } as NodeJS.ProcessEnv,
      '',
    );
    const setup = await createCore({ config, log: pino({ level: 'silent' }) });
    await setup.core.db.transaction(async (tx) => {
      for (const [i, marker] of markers.entries())
        await enqueue(tx, {
          dedupeKey: `drill:${marker}`,
          platform: 'slack',
          channel: channelOf(i),
          message: { kind: 'post', reply: { audience: 'channel', ticket: null, error: null, text: marker } },
          at: new Date(),
        });
    });
    await setup.close();

    // Slack takes each message at once but answers 400 ms later: a kill lands inside that window.
    slack.slowPosts(400);
    const first = await startPosko(url, slack);
    await slack.waitFor(() => slack.posted.length >= 12 && slack.unanswered > 0);
    first.child.kill('SIGKILL'); // synchronously, while at least one post is taken and unanswered
    await once(first.child, 'exit');

    const sql = postgres(url, { max: 1, onnotice: () => {} });
    try {
      const rows = await sql`SELECT id, payload->'reply'->>'text' AS marker, status FROM outbox`;
      const postedUnrecorded = rows.filter((r) => r.status === 'pending' && postsOf(slack, r.marker).length > 0);
      expect(postedUnrecorded.length).toBeGreaterThan(0); // the drill hit the window it is about

      // The dead process's leases (30 s) run out; moved to now instead of waited for.
      await sql`UPDATE outbox SET not_before = now() WHERE status = 'pending' AND not_before > now()`;
      const second = await startPosko(url, slack);
      const start = Date.now();
      while ((await sql`SELECT 1 FROM outbox WHERE status = 'pending'`).length > 0) {
        if (Date.now() - start > 30_000) throw new Error('the outbox did not drain');
        await new Promise((r) => setTimeout(r, 200));
      }
      await second.stop();

      // Every message arrived once: none lost, none twice, the window's messages included.
      for (const marker of markers) expect(postsOf(slack, marker), marker).toHaveLength(1);
      const final = await sql`
        SELECT payload->'reply'->>'text' AS marker, status, platform_message_id FROM outbox ORDER BY id`;
      expect(final).toHaveLength(markers.length);
      for (const row of final) {
        expect(row.status).toBe('sent');
        expect(row.platform_message_id).toBe(postsOf(slack, row.marker)[0]?.ts);
      }
      // The recovered rows were found in the channel's history, not posted again.
      const lookups = slack.ok('conversations.history');
      expect(lookups.length).toBeGreaterThanOrEqual(postedUnrecorded.length);
    } finally {
      await sql.end({ timeout: 1 });
    }
  }, 60_000);
});
