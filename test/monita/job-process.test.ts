import { spawn } from 'node:child_process';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommandLine } from '../../src/command/dispatch.js';
import { type MessageRef, tickets } from '../../src/db/schema.js';
import type { Deliverer } from '../../src/outbox/types.js';
import { deliverDue } from '../../src/outbox/worker.js';
import type { Reply } from '../../src/reply.js';
import { type FakeFeed, feedItem, startFakeFeed } from '../fakes/monita-feed.js';
import { TEST_DATA_KEY } from '../helpers/data-key.js';
import { POSKO_CLI } from '../helpers/posko-process.js';
import { pgUrl, startJobsCore, type TestCore } from '../jobs/db.js';

/**
 * `npx posko job monita-poll` as its own process, beside a running posko (this test's core) on one
 * PostgreSQL: the job process queues, the running posko's outbox delivers, each stage once.
 */
const root = path.resolve(import.meta.dirname, '../..');

function runJob(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !/^(SLACK_|DISCORD_|DATABASE_URL|MONITA_URL|POSKO_|LOG_LEVEL)/.test(k)) clean[k] = v;
  const child = spawn(process.execPath, [...POSKO_CLI, 'job', 'monita-poll'], {
    cwd: root,
    env: { ...clean, LOG_LEVEL: 'warn', POSKO_DATA_KEY: TEST_DATA_KEY, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** The running posko's delivery side: records where each message lands. */
function recorder() {
  const sent: { channel: string; reply: Reply; thread?: MessageRef; landed: string }[] = [];
  let n = 0;
  const deliverer: Deliverer = {
    platform: 'console',
    async post(channel, reply, thread) {
      const landed = `m${++n}`;
      sent.push({ channel, reply, thread, landed });
      return { platform: 'console', channel, messageId: landed };
    },
    async edit() {},
    async dm(userKey, reply) {
      const landed = `m${++n}`;
      sent.push({ channel: `dm:${userKey}`, reply, landed });
      return { platform: 'console', channel: userKey, messageId: landed };
    },
  };
  return { sent, deliverer };
}

describe.skipIf(!pgUrl)('npx posko job monita-poll beside a running posko (PostgreSQL)', () => {
  let env: TestCore;
  let feed: FakeFeed;
  beforeAll(async () => {
    env = await startJobsCore(() => new Date());
    feed = await startFakeFeed();
  });
  afterAll(async () => {
    await feed?.close();
    await env?.close();
  });

  it('P5.9 the job process posts each valid new stage once into the right thread; the running posko delivers it', async () => {
    const { core } = env;
    const open = async (channel: string, id: string, monita: string) => {
      const out = await runCommandLine(
        core,
        { platform: 'console', userId: 'ani', channel },
        `buka layanan=indihome id=${id} nama="Sari Dewi" kontak=081234567890 keluhan="Internet mati" monita=${monita}`,
      );
      const [row] = await core.db.select().from(tickets).where(eq(tickets.number, out.replies[0]!.ticket!));
      return row!;
    };
    const a = await open('tim-a', '122100000101', 'IN300000001');
    const b = await open('tim-b', '122100000102', 'IN300000002');
    const rec = recorder();
    while ((await deliverDue(core, rec.deliverer)) > 0);
    const cards = new Map(rec.sent.map((s) => [s.reply.ticket, s]));
    rec.sent.length = 0;

    feed.log.push(
      feedItem('p-a1', 'IN300000001', 'ASSIGNED', { stage: 'Tiket diteruskan ke teknisi lapangan' }),
      { id: 'p-bad', ticketId: 'IN300000001', status: 'SOMEWHERE' },
      feedItem('p-x1', 'IN399999999', 'ON_SITE'),
      feedItem('p-b1', 'IN300000002', 'ON_THE_WAY', { stage: 'Teknisi menuju lokasi pelanggan' }),
      feedItem('p-a1', 'IN300000001', 'ASSIGNED', { stage: 'Tiket diteruskan ke teknisi lapangan' }),
    );
    feed.fail({ kind: 'status', status: 500 });
    const jobEnv = { DATABASE_URL: env.url, MONITA_URL: feed.url };
    const down = await runJob(jobEnv);
    expect(down.code).toBe(0); // a feed that is down is not a crash
    expect(down.stdout).toMatch(/MONITA unavailable/);
    const first = await runJob(jobEnv);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/2 MONITA stages posted/);
    const again = await runJob(jobEnv);
    expect(again.stdout).toMatch(/0 MONITA stages posted/);

    while ((await deliverDue(core, rec.deliverer)) > 0);
    expect(rec.sent.map((s) => [s.reply.ticket, s.channel, s.thread?.messageId])).toEqual([
      [a.number, 'tim-a', cards.get(a.number)!.landed],
      [b.number, 'tim-b', cards.get(b.number)!.landed],
    ]);
    // Into each ticket's own thread: the thread is the card's message.
    for (const s of rec.sent) expect(s.thread?.messageId).toBe(cards.get(s.reply.ticket)!.landed);
    expect(rec.sent[0]!.reply.text).toMatch(/Tiket diteruskan ke teknisi lapangan/);
    expect(rec.sent[1]!.reply.text).toMatch(/Teknisi menuju lokasi pelanggan/);
  });
});
