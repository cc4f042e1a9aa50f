/**
 * B6 busy channel (issue 14): one team channel, 40 agents, 4 commands a second for 120 s, mixed
 * as a shift runs them (buka, kabari, eskalasi ke=tl, setujui by the team leader, konfirmasi,
 * tutup), each through the real command path (`runCommandLine`, platform slack) on a real
 * database, while the real outbox worker delivers through the real SlackDeliverer to Slack's
 * fake, which takes about one chat.postMessage a second per channel and, on a limit of its own,
 * one chat.update a second per channel (429 Retry-After beyond them).
 *
 * Definitions:
 * - a command's visible effect: every outbox row it queued delivered (its `sent_at`, written when
 *   the platform answered: card posted or edited, thread note, request message); latency is from
 *   the command's start to the last of them.
 * - the floor: the same rows, at the same times, through an ideal channel that sends a post the
 *   moment the post limit allows (one a second, in order) and an edit the moment the update limit
 *   allows (one a second, after its card is posted; queued edits of one card merged). The goal is
 *   p95 ≤ 1.2× the floor's p95.
 * - lost: a row not sent at the end; duplicated: a tracked post accepted twice by the fake; the
 *   card's last state: each ticket's last chat.update (or its post, never edited) equals the card
 *   as the database renders it now.
 *
 * Run: npm run bench:b6   (BENCH_SCALE scales the 120 s; BENCH_PGLITE=1 runs on PGlite instead)
 */
import { asc, sql } from 'drizzle-orm';
import pino from 'pino';
import { createCore } from '../src/app.js';
import { runCommandLine } from '../src/command/dispatch.js';
import { loadConfig } from '../src/config.js';
import { outbox, roster } from '../src/db/schema.js';
import type { OutboxMessage } from '../src/outbox/types.js';
import { startOutboxWorker } from '../src/outbox/worker.js';
import { renderReply } from '../src/platforms/slack/blocks.js';
import { boltLogger } from '../src/platforms/slack/bolt-logger.js';
import { SlackDeliverer } from '../src/platforms/slack/deliverer.js';
import type { Reply } from '../src/reply.js';
import { FakeSlackApi } from '../test/fakes/slack/web-api.js';
import { type Figure, percentile, report } from './report.js';
import { BENCH_DATA_KEY, BENCH_SCALE, benchDatabase } from './support/private-db.js';

const DURATION_MS = Math.round(120_000 * BENCH_SCALE);
const RATE = 4;
const AGENTS = 40;
const CHANNEL = 'CB6TEAM';
const GAP_MS = 1000;
const GOAL = 1.2;
const NAMES = ['Siti Rahma', 'Budi Santoso', 'Dewi Lestari', 'Agus Salim', 'Rina Wati', 'Joko Susilo'];
const STEPS = ['kabari', 'eskalasi', 'setujui', 'konfirmasi', 'tutup'] as const;

interface Command {
  at: number;
  started: number;
  user: string;
  line: string;
  kind: string;
  rows: number[];
}

function lineFor(step: (typeof STEPS)[number], ticket: string): string {
  switch (step) {
    case 'kabari':
      return `kabari ${ticket} pelanggan ditelepon, teknisi dijadwalkan`;
    case 'eskalasi':
      return `eskalasi ${ticket} ke=tl redaman tinggi di ODP`;
    case 'setujui':
      return `setujui ${ticket}`;
    case 'konfirmasi':
      return `konfirmasi ${ticket} hasil=ok pelanggan sudah bisa browsing`;
    case 'tutup':
      return `tutup ${ticket} tawaran=ya kode=FIXED-ODP`;
  }
}

/** The ideal channel of the docstring: per row, when it could have been delivered at the earliest. */
function floorTimes(rows: { id: number; createdAt: number; message: OutboxMessage }[]): Map<number, number> {
  const done = new Map<number, number>();
  const cardPosted = new Map<string, number>();
  const lastEdit = new Map<string, { id: number; at: number }>();
  let nextPost = 0;
  let nextEdit = 0;
  for (const row of rows) {
    const m = row.message;
    if (m.kind === 'post') {
      const at = Math.max(row.createdAt, nextPost);
      nextPost = at + GAP_MS;
      done.set(row.id, at);
      if (m.track) cardPosted.set(JSON.stringify(m.track), at);
      continue;
    }
    const key = JSON.stringify(m.target);
    const waiting = lastEdit.get(key);
    if (waiting && waiting.at >= row.createdAt) {
      done.set(row.id, waiting.at); // merged into the edit still queued for this card
      continue;
    }
    const at = Math.max(row.createdAt, nextEdit, (cardPosted.get(key) ?? row.createdAt) + 1);
    nextEdit = at + GAP_MS;
    lastEdit.set(key, { id: row.id, at });
    done.set(row.id, at);
  }
  return done;
}

async function run(kind: 'postgres' | 'pglite'): Promise<Figure[]> {
  const db = await benchDatabase(kind);
  const api = await new FakeSlackApi().start();
  api.limitPerChannel(GAP_MS);
  api.limitUpdatesPerChannel(GAP_MS);
  const log = pino({ level: 'silent' });
  const config = loadConfig(
    { DATABASE_URL: db.url, LOG_LEVEL: 'silent', POSKO_DATA_KEY: BENCH_DATA_KEY } as NodeJS.ProcessEnv,
    '',
  );
  const { core, close } = await createCore({ config, log });
  const label = `${kind}, 1 channel, ${AGENTS} agents, ${RATE} cmd/s × ${DURATION_MS / 1000} s`;
  try {
    const now = core.clock();
    const agents = Array.from({ length: AGENTS }, (_, i) => `UB6A${String(i).padStart(3, '0')}`);
    await core.db
      .insert(roster)
      .values([
        ...agents.map((a) => ({ userKey: `slack:${a}`, role: 'agent', team: 'a', updatedAt: now, updatedBy: 'bench' })),
        { userKey: 'slack:UB6TL', role: 'team_leader', team: 'a', updatedAt: now, updatedBy: 'bench' },
      ]);
    const deliverer = new SlackDeliverer('xoxb-bench', { slackApiUrl: api.apiUrl, logger: boltLogger(log) });
    const worker = startOutboxWorker(core, [deliverer]);

    // The shift: a new ticket when fewer than 8 are under way or one time in four, else the next
    // step of a ticket under way (seeded, so every run is the same shift).
    let seed = 14;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const open: { ticket: string; owner: string; step: number }[] = [];
    const commands: Command[] = [];
    const backlog: { t: number; pending: number }[] = [];
    const total = Math.round((DURATION_MS / 1000) * RATE);
    const t0 = Date.now();
    let customer = 0;
    let failed = 0;
    let nextBacklog = 0;
    for (let i = 0; i < total; i++) {
      const at = t0 + Math.round((i * 1000) / RATE);
      const wait = at - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      if (Date.now() - t0 >= nextBacklog) {
        const [p] = await core.db
          .select({ n: sql<number>`count(*)::int` })
          .from(outbox)
          .where(sql`${outbox.status} = 'pending'`);
        backlog.push({ t: Math.round((Date.now() - t0) / 1000), pending: p?.n ?? 0 });
        nextBacklog += 10_000;
      }
      let user: string;
      let line: string;
      let kindName: string;
      let advancing: (typeof open)[number] | undefined;
      if (open.length < 8 || random() < 0.25) {
        user = agents[Math.floor(random() * AGENTS)]!;
        customer++;
        line = `buka layanan=indihome id=12266${String(customer).padStart(7, '0')} nama="Pelanggan ${NAMES[customer % NAMES.length]}" kontak=0812${String(3_000_000 + customer).padStart(8, '0')} keluhan="internet mati"`;
        kindName = 'buka';
      } else {
        advancing = open[Math.floor(random() * open.length)]!;
        const step = STEPS[advancing.step]!;
        user = step === 'setujui' ? 'UB6TL' : advancing.owner;
        line = lineFor(step, advancing.ticket);
        kindName = step;
      }
      const [before] = await core.db.select({ id: sql<number>`coalesce(max(${outbox.id}), 0)::int` }).from(outbox);
      const started = Date.now();
      const outcome = await runCommandLine(core, { platform: 'slack', userId: user, channel: CHANNEL }, line);
      const [after] = await core.db.select({ id: sql<number>`coalesce(max(${outbox.id}), 0)::int` }).from(outbox);
      if (outcome.error) {
        failed++;
        if (process.env.BENCH_DEBUG) console.log(line, outcome.error, JSON.stringify(outcome.replies).slice(0, 300));
      }
      const rows: number[] = [];
      for (let id = (before?.id ?? 0) + 1; id <= (after?.id ?? 0); id++) rows.push(id);
      commands.push({ at, started, user, line, kind: kindName, rows });
      if (kindName === 'buka' && !outcome.error) {
        const ticket = /GGN-\d+/.exec(JSON.stringify(outcome.replies))?.[0];
        if (ticket) open.push({ ticket, owner: user, step: 0 });
      } else if (advancing && !outcome.error) {
        advancing.step++;
        if (advancing.step >= STEPS.length) open.splice(open.indexOf(advancing), 1);
      } else if (advancing) open.splice(open.indexOf(advancing), 1);
    }
    const issued = Date.now();
    // Let the channel drain (bounded: 20 minutes), recording the backlog.
    for (;;) {
      const [p] = await core.db
        .select({ n: sql<number>`count(*)::int` })
        .from(outbox)
        .where(sql`${outbox.status} = 'pending'`);
      if (Date.now() - t0 >= nextBacklog) {
        backlog.push({ t: Math.round((Date.now() - t0) / 1000), pending: p?.n ?? 0 });
        nextBacklog += 10_000;
      }
      if ((p?.n ?? 0) === 0 || Date.now() - issued > 20 * 60_000) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const drained = Date.now();
    await worker.stop();

    const all = await core.db.select().from(outbox).orderBy(asc(outbox.id));
    const byId = new Map(all.map((r) => [r.id, r]));
    const floor = floorTimes(
      all.map((r) => ({ id: r.id, createdAt: r.createdAt.getTime(), message: r.payload as unknown as OutboxMessage })),
    );
    const latencies: number[] = [];
    const floors: number[] = [];
    const byKind = new Map<string, number[]>();
    for (const c of commands) {
      if (c.rows.length === 0) continue;
      const sent = c.rows.map((id) => byId.get(id)?.sentAt?.getTime() ?? Number.NaN);
      if (sent.some(Number.isNaN)) continue;
      const ms = Math.max(...sent) - c.started;
      latencies.push(ms);
      floors.push(Math.max(...c.rows.map((id) => floor.get(id) ?? c.started)) - c.started);
      byKind.set(c.kind, [...(byKind.get(c.kind) ?? []), ms]);
    }
    const notSent = all.filter((r) => r.status !== 'sent').length;
    // Duplicates: a post carries its outbox id as metadata; any id accepted twice.
    const postedIds = new Map<string, number>();
    for (const c of api.ok('chat.postMessage')) {
      const meta = c.args.metadata as { event_payload?: Record<string, unknown> } | undefined;
      const id = String(meta?.event_payload?.outbox_id ?? meta?.event_payload?.id ?? '');
      if (id) postedIds.set(id, (postedIds.get(id) ?? 0) + 1);
    }
    const duplicated = [...postedIds.values()].reduce((n, k) => n + k - 1, 0);
    // The card's last state: each card's last edit carries its ticket's last queued card edit.
    const lastQueued = new Map<string, string>();
    for (const r of all) {
      const m = r.payload as unknown as OutboxMessage;
      if (m.kind === 'edit' && 'ticketCard' in m.target)
        lastQueued.set(String(m.target.ticketCard), JSON.stringify(m.reply));
    }
    const cardRefs = new Map<string, string>();
    for (const r of all) {
      const m = r.payload as unknown as OutboxMessage;
      if (m.kind === 'post' && m.track && 'ticketCard' in m.track && r.platformMessageId)
        cardRefs.set(r.platformMessageId, String(m.track.ticketCard));
    }
    const lastUpdate = new Map<string, string>();
    for (const c of api.ok('chat.update')) {
      const ticket = cardRefs.get(String(c.args.ts));
      // The fake's users.info names everyone `name-<id>`; the card as queued names them by id.
      if (ticket) lastUpdate.set(ticket, String(c.args.text).replaceAll('@name-', '@'));
    }
    let stale = 0;
    for (const [ticket, reply] of lastQueued) {
      // As the deliverer renders it (names unresolved in both).
      if (lastUpdate.get(ticket) !== renderReply(JSON.parse(reply) as Reply).text) {
        stale++;
        if (process.env.BENCH_DEBUG)
          console.log('stale', ticket, lastUpdate.get(ticket), '≠', renderReply(JSON.parse(reply) as Reply).text);
      }
    }
    const p50 = percentile(latencies, 50);
    const p95 = percentile(latencies, 95);
    const floor95 = percentile(floors, 95);
    const ratio = p95 / Math.max(1, floor95);
    const posts = api.ok('chat.postMessage').length;
    const updates = api.ok('chat.update').length;
    const rejected = api.calls.filter((c) => c.answer === 'rate_limited').length;
    console.log(
      `${label}: ${commands.length} commands (${failed} refused), ${all.length} rows, ${posts} posts, ${updates} updates, ${rejected} answered 429; drained ${((drained - issued) / 1000).toFixed(1)} s after the last command`,
    );
    console.log(`backlog (pending rows) every 10 s: ${backlog.map((b) => `${b.t}s:${b.pending}`).join(' ')}`);
    for (const [k, xs] of byKind)
      console.log(
        `  ${k.padEnd(10)} n=${xs.length} p50=${Math.round(percentile(xs, 50))} ms p95=${Math.round(percentile(xs, 95))} ms`,
      );
    return [
      { bench: 'B6', metric: `${label}: command → visible, p50`, value: p50, unit: 'ms' },
      { bench: 'B6', metric: `${label}: command → visible, p95`, value: p95, unit: 'ms' },
      { bench: 'B6', metric: `${label}: floor the limits allow, p95`, value: floor95, unit: 'ms' },
      {
        bench: 'B6',
        metric: `${label}: p95 / floor p95`,
        value: ratio,
        unit: '×',
        goal: `≤ ${GOAL}`,
        met: ratio <= GOAL,
      },
      {
        bench: 'B6',
        metric: `${label}: peak backlog`,
        value: Math.max(...backlog.map((b) => b.pending)),
        unit: 'rows',
      },
      { bench: 'B6', metric: `${label}: posts / updates delivered`, value: posts + updates, unit: 'calls' },
      {
        bench: 'B6',
        metric: `${label}: lost (rows not sent)`,
        value: notSent,
        unit: 'rows',
        goal: '0',
        met: notSent === 0,
      },
      {
        bench: 'B6',
        metric: `${label}: duplicated posts`,
        value: duplicated,
        unit: 'msgs',
        goal: '0',
        met: duplicated === 0,
      },
      {
        bench: 'B6',
        metric: `${label}: cards not in their latest state`,
        value: stale,
        unit: 'cards',
        goal: '0',
        met: stale === 0,
      },
    ];
  } finally {
    await close();
    await api.close();
    await db.drop();
  }
}

report(await run(process.env.BENCH_PGLITE === '1' ? 'pglite' : 'postgres'));
