/**
 * B2 outbox: 2,000 channel messages across 100 channels (20 per channel; BENCH_SCALE scales the
 * channels, never the 20) queued with the product's `enqueue`, then delivered by the real outbox
 * worker (`startOutboxWorker`, default policy and interval, as `posko start` runs it) through the
 * real SlackDeliverer over HTTP to a fake Slack Web API that accepts one chat.postMessage per
 * second per channel and answers 429 with `Retry-After: 1` beyond that (Slack's documented limit).
 *
 * Definitions:
 * - delivery time: from the first message the fake accepted to the last one it accepted (the time
 *   the worker needs to wake up and claim its first rows is printed apart, as "first send after").
 * - theoretical minimum: a channel takes at most one message a second, so its 20 messages need
 *   (20 − 1) s after its first send; with every channel starting at once that is the whole floor.
 * - lost: markers (each message's unique text) the fake never accepted; duplicated: markers it
 *   accepted more than once. Both must be 0, and every outbox row must end `sent`.
 *
 * Run: npx tsx bench/b2-outbox.ts   (BENCH_DATABASE_URL, BENCH_SCALE; BENCH_PGLITE=1 adds PGlite)
 */
import { eq, sql } from 'drizzle-orm';
import pino from 'pino';
import { createCore } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { outbox } from '../src/db/schema.js';
import { enqueue } from '../src/outbox/enqueue.js';
import { startOutboxWorker } from '../src/outbox/worker.js';
import { boltLogger } from '../src/platforms/slack/bolt-logger.js';
import { SlackDeliverer } from '../src/platforms/slack/deliverer.js';
import { FakeSlackApi } from '../test/fakes/slack/web-api.js';
import { type Figure, percentile, report } from './report.js';
import { BENCH_DATA_KEY, BENCH_SCALE, benchDatabase } from './support/private-db.js';

const PER_CHANNEL = 20;
const CHANNELS = Math.max(1, Math.round(100 * BENCH_SCALE));
const GAP_MS = 1000;
const MINIMUM_MS = (PER_CHANNEL - 1) * GAP_MS;
const GOAL = 1.15;

const marker = (channel: number, k: number) => `B2-C${channel}-M${k}`;
const channelId = (channel: number) => `CB2${String(channel).padStart(4, '0')}`;

/** Arrival order of the messages: channels interleaved at random (seeded), each channel in order. */
function arrivalOrder(): { channel: number; k: number }[] {
  const next = new Array<number>(CHANNELS).fill(0);
  const left = Array.from({ length: CHANNELS }, (_, c) => c);
  const out: { channel: number; k: number }[] = [];
  let seed = 42;
  while (left.length > 0) {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    const i = seed % left.length;
    const channel = left[i]!;
    out.push({ channel, k: next[channel]! });
    next[channel]! += 1;
    if (next[channel] === PER_CHANNEL) left.splice(i, 1);
  }
  return out;
}

async function run(kind: 'postgres' | 'pglite'): Promise<Figure[]> {
  const db = await benchDatabase(kind);
  const api = await new FakeSlackApi().start();
  api.limitPerChannel(GAP_MS);
  const log = pino({ level: 'silent' });
  const config = loadConfig(
    { DATABASE_URL: db.url, LOG_LEVEL: 'silent', POSKO_DATA_KEY: BENCH_DATA_KEY } as NodeJS.ProcessEnv,
    '',
  );
  const { core, close } = await createCore({ config, log });
  try {
    // Queued as commands and jobs queue them: in the caller's transaction, a page at a time.
    const order = arrivalOrder();
    for (let i = 0; i < order.length; i += 50)
      await core.db.transaction(async (tx) => {
        for (const { channel, k } of order.slice(i, i + 50))
          await enqueue(tx, {
            dedupeKey: `bench:b2:${marker(channel, k)}`,
            platform: 'slack',
            channel: channelId(channel),
            message: {
              kind: 'post',
              reply: { audience: 'channel', ticket: null, error: null, text: marker(channel, k) },
            },
            at: core.clock(),
          });
      });

    const deliverer = new SlackDeliverer('xoxb-bench', { slackApiUrl: api.apiUrl, logger: boltLogger(log) });
    const total = CHANNELS * PER_CHANNEL;
    const start = performance.now();
    const worker = startOutboxWorker(core, [deliverer]);
    const seen = new Set<string>();
    const capMs = MINIMUM_MS * 5 + 30_000;
    let scanned = 0;
    while (seen.size < total && performance.now() - start < capMs) {
      await new Promise((r) => setTimeout(r, 100));
      for (; scanned < api.calls.length; scanned++) {
        const c = api.calls[scanned]!;
        if (c.method === 'chat.postMessage' && c.answer === 'ok') seen.add(String(c.args.text));
      }
    }
    await worker.stop();

    const accepted = api.ok('chat.postMessage');
    const counts = new Map<string, number>();
    for (const c of accepted) counts.set(String(c.args.text), (counts.get(String(c.args.text)) ?? 0) + 1);
    let lost = 0;
    let outOfOrder = 0;
    for (let channel = 0; channel < CHANNELS; channel++) {
      for (let k = 0; k < PER_CHANNEL; k++) if (!counts.has(marker(channel, k))) lost++;
      const texts = accepted.filter((c) => c.args.channel === channelId(channel)).map((c) => String(c.args.text));
      for (let i = 1; i < texts.length; i++)
        if (Number(texts[i]!.split('-M')[1]) < Number(texts[i - 1]!.split('-M')[1])) outOfOrder++;
    }
    // Where the time goes: channels starting late, or each channel's messages spaced wider than 1 s.
    const firsts: number[] = [];
    const gaps: number[] = [];
    for (let channel = 0; channel < CHANNELS; channel++) {
      const times = accepted.filter((c) => c.args.channel === channelId(channel)).map((c) => c.at);
      if (times.length > 0) firsts.push(times[0]!);
      for (let i = 1; i < times.length; i++) gaps.push(times[i]! - times[i - 1]!);
    }
    const duplicated = [...counts.values()].reduce((n, c) => n + c - 1, 0);
    const [notSent] = await core.db
      .select({ n: sql<number>`count(*)::int` })
      .from(outbox)
      .where(sql`${outbox.status} <> 'sent'`);
    const [sentRows] = await core.db
      .select({ n: sql<number>`count(*)::int` })
      .from(outbox)
      .where(eq(outbox.status, 'sent'));
    const first = Math.min(...accepted.map((c) => c.at));
    const last = Math.max(...accepted.map((c) => c.at));
    const deliveryMs = last - first;
    const ratio = deliveryMs / MINIMUM_MS;
    const rejected = api.calls.filter((c) => c.answer === 'rate_limited').length;
    const label = `${kind}, ${CHANNELS} ch × ${PER_CHANNEL}`;
    console.log(
      `${label}: ${accepted.length} accepted, ${rejected} answered 429, ${sentRows?.n ?? 0} rows sent, ${notSent?.n ?? 0} not sent`,
    );
    return [
      { bench: 'B2', metric: `${label}: delivery time`, value: deliveryMs / 1000, unit: 's' },
      { bench: 'B2', metric: `${label}: theoretical minimum`, value: MINIMUM_MS / 1000, unit: 's' },
      {
        bench: 'B2',
        metric: `${label}: time / minimum`,
        value: ratio,
        unit: '×',
        goal: `≤ ${GOAL}`,
        met: ratio <= GOAL,
      },
      { bench: 'B2', metric: `${label}: first send after`, value: (first - start) / 1000, unit: 's' },
      {
        bench: 'B2',
        metric: `${label}: last channel's first send`,
        value: (Math.max(...firsts) - first) / 1000,
        unit: 's',
      },
      { bench: 'B2', metric: `${label}: gap in a channel, p50`, value: percentile(gaps, 50), unit: 'ms' },
      { bench: 'B2', metric: `${label}: gap in a channel, p99`, value: percentile(gaps, 99), unit: 'ms' },
      { bench: 'B2', metric: `${label}: 429 answers`, value: rejected, unit: 'calls' },
      { bench: 'B2', metric: `${label}: lost`, value: lost, unit: 'msgs', goal: '0', met: lost === 0 },
      {
        bench: 'B2',
        metric: `${label}: duplicated`,
        value: duplicated,
        unit: 'msgs',
        goal: '0',
        met: duplicated === 0,
      },
      {
        bench: 'B2',
        metric: `${label}: out of order in a channel`,
        value: outOfOrder,
        unit: 'msgs',
        goal: '0',
        met: outOfOrder === 0,
      },
      {
        bench: 'B2',
        metric: `${label}: rows not sent`,
        value: notSent?.n ?? 0,
        unit: 'rows',
        goal: '0',
        met: (notSent?.n ?? 0) === 0,
      },
    ];
  } finally {
    await close();
    await api.close();
    await db.drop();
  }
}

const figures = await run('postgres');
if (process.env.BENCH_PGLITE === '1') figures.push(...(await run('pglite')));
report(figures);
