/**
 * Fault drill: two posko instances behind one Slack endpoint and one PostgreSQL database. A
 * scripted day of a team's traffic — commands and clicks, each sent to an instance picked by a
 * seeded coin, some redelivered by Slack (same trigger_id, X-Slack-Retry-Num) to the OTHER instance
 * at the same moment, some arriving together — ends in the same state as the same script against
 * one instance on a database of its own: tickets, checklists, audit events, escalations, the
 * outbox and what Slack shows, and what each person was answered.
 */
import { and, asc, eq, lte } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { escalations, outbox, ticketEvents, tickets } from '../../src/db/schema.js';
import { deriveChecklist } from '../../src/domain/checklist.js';
import { deliverDue } from '../../src/outbox/worker.js';
import { createSlackApp, type SlackApp } from '../../src/platforms/slack/app.js';
import { blockAction, interactionForm, slashCommand } from '../fakes/slack/payloads.js';
import { postForm } from '../fakes/slack/signed.js';
import { FakeSlackApi } from '../fakes/slack/web-api.js';
import { freshDatabase, TEST_DATABASE_URL, type TestDb } from '../helpers/core.js';
import { TEST_DATA_KEY } from '../helpers/data-key.js';

const SECRET = 'two-instances-secret';
const CHANNEL = 'CTEAMA';
const SPV = 'USPV';
const TL = 'UTL1';
const AGENTS = ['UAG1', 'UAG2', 'UAG3'] as const;

const CUSTOMERS = {
  siti: { id: '122100000001', service: 'indihome', name: 'Siti Rahma', contact: '081234567890' },
  budi: { id: '122100000002', service: 'indihome', name: 'Budi Santoso', contact: '081298765432' },
  maju: { id: 'GLB-20331', service: 'global', name: 'PT Maju Jaya', contact: '0215551234' },
  dewi: { id: 'SVC7788990011', service: 'internet', name: 'Dewi Lestari', contact: '085712345678' },
} as const;
type Customer = keyof typeof CUSTOMERS;

const open = (c: Customer, extra = '') => {
  const x = CUSTOMERS[c];
  return `buka layanan=${x.service} id=${x.id} nama="${x.name}" kontak=${x.contact} keluhan="gangguan ${c}" ${extra}`.trim();
};

/** One request of the day; `{siti}` in a line stands for the open ticket of that customer. */
type Step =
  | { kind: 'command'; user: string; line: string }
  | { kind: 'click'; user: string; action: 'escalation.approve' | 'escalation.reject'; customer: Customer }
  /** The button under the private answer to the step before (e.g. "close with the offer made"). */
  | { kind: 'answerButton'; user: string; action: 'ticket.closeWithOffer' };

const cmd = (user: string, line: string): Step => ({ kind: 'command', user, line });
const [A1, A2, A3] = AGENTS;

/** The day. An inner array is a burst: its requests arrive at the same time. */
const DAY: (Step | Step[])[] = [
  cmd(SPV, `peran <@${TL}> tl tim=a`),
  ...AGENTS.map((a) => cmd(SPV, `peran <@${a}> agent tim=a`)),
  cmd(A1, open('siti')),
  [cmd(A2, open('budi')), cmd(A3, open('maju')), cmd(A1, open('dewi'))],
  cmd(A2, open('siti')), // repeat complaint: onto the open ticket
  cmd(A3, open('siti', 'baru=ya')), // a different complaint: a linked ticket
  cmd(A1, 'buka layanan=indihome id=122100000009 nama="X" kontak=12345 keluhan="mati"'), // bad phone
  cmd(A1, 'kabari {siti} pelanggan ditelepon, teknisi dijadwalkan'),
  [cmd(A2, 'catat {budi} koordinasi NOSSA'), cmd(A3, 'catat {maju} cek link'), cmd(A1, 'kabari {dewi} teknisi OTW')],
  cmd(A1, 'eskalasi {siti} ke=tl redaman tinggi di ODP'),
  cmd(A2, 'eskalasi {budi} ke=tl perlu teknisi senior'),
  cmd(A3, 'eskalasi {maju} ke=spv link down total'),
  { kind: 'click', user: A1, action: 'escalation.approve', customer: 'siti' }, // the requester: refused
  { kind: 'click', user: TL, action: 'escalation.approve', customer: 'siti' },
  { kind: 'click', user: TL, action: 'escalation.reject', customer: 'budi' }, // asks for a reason (a form)
  cmd(TL, 'tolak {budi} cek redaman dulu'),
  { kind: 'click', user: TL, action: 'escalation.approve', customer: 'maju' }, // spv level: TL forbidden
  { kind: 'click', user: SPV, action: 'escalation.approve', customer: 'maju' },
  { kind: 'click', user: SPV, action: 'escalation.approve', customer: 'maju' }, // stale: conflict
  cmd(A1, 'tutup {siti} tawaran=ya'), // before the customer confirmed: conflict
  cmd(A1, 'konfirmasi {siti} hasil=ok pelanggan sudah bisa browsing'),
  cmd(A1, 'tutup {siti}'), // without tawaran=ya: the standard sentence and a button
  { kind: 'answerButton', user: A1, action: 'ticket.closeWithOffer' },
  [cmd(A2, 'konfirmasi {budi} hasil=gagal masih mati'), cmd(TL, 'ambil {dewi}')],
  cmd(A2, 'konfirmasi {budi} hasil=ok'),
  cmd(A2, 'tutup {budi} tawaran=ya kode=FIXED-ODP'),
  cmd(TL, 'konfirmasi {dewi} hasil=ok'),
  cmd(TL, 'tutup {dewi} tawaran=ya'),
  cmd(A3, 'lihat {maju}'),
  cmd(A1, 'daftar milik=tim'),
  cmd(TL, 'ringkasan'),
];

/** mulberry32: a small seeded generator, so the routing is the same on every run. */
function seeded(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Instance {
  core: Core;
  slack: SlackApp;
  events: string;
  close(): Promise<void>;
}

/** `count` posko instances (core + Slack app) on one database, all talking to one fake Slack. */
async function startTeam(db: TestDb, api: FakeSlackApi, count: number, clock: () => Date): Promise<Instance[]> {
  const instances: Instance[] = [];
  for (let i = 0; i < count; i++) {
    const config = loadConfig(
      {
        DATABASE_URL: db.url,
        POSKO_ADMINS: `slack:${SPV}`,
        LOG_LEVEL: 'silent',
        POSKO_DATA_KEY: TEST_DATA_KEY,
      } as NodeJS.ProcessEnv,
      '',
    );
    const { core, close } = await createCore({ config, clock, log: pino({ level: 'silent' }), skipMigrations: i > 0 });
    const slack = createSlackApp(core, { botToken: 'xoxb-drill', signingSecret: SECRET, apiUrl: api.apiUrl, port: 0 });
    const { port } = await slack.start();
    instances.push({
      core,
      slack,
      events: `http://127.0.0.1:${port}/slack/events`,
      close: async () => {
        await slack.stop();
        await close();
      },
    });
  }
  return instances;
}

interface Run {
  api: FakeSlackApi;
  core: Core;
  /** What each request of the script was answered privately, by step. */
  answers: Map<string, string[]>;
  /** Requests each instance got first, and how many were redelivered. */
  traffic: { first: number[]; redelivered: number };
}

/** Plays the day against `instances`; with two, redeliveries go to the instance that did not get the first. */
async function playDay(instances: Instance[], api: FakeSlackApi, seed: number): Promise<Run> {
  const coin = seeded(seed);
  const core = instances[0]!.core;
  const answers = new Map<string, string[]>();
  const traffic = { first: instances.map(() => 0), redelivered: 0 };
  let step = 0;

  const ticketOf = async (c: Customer) => {
    const rows = await core.db.select().from(tickets).orderBy(asc(tickets.id));
    const mine = rows.filter((t) => t.customerId === CUSTOMERS[c].id);
    return (mine.find((t) => t.status !== 'closed') ?? mine.at(-1))!.number;
  };
  const resolve = async (line: string) => {
    let out = line;
    for (const c of Object.keys(CUSTOMERS) as Customer[])
      if (out.includes(`{${c}}`)) out = out.replaceAll(`{${c}}`, await ticketOf(c));
    return out;
  };
  /** The latest button of that kind for the customer's ticket in what Slack shows. */
  const buttonFor = async (action: string, c: Customer) => {
    const number = await ticketOf(c);
    const found = [...api.ok('chat.postMessage'), ...api.ok('chat.update')]
      .flatMap((call) =>
        ((call.args.blocks ?? []) as { type: string; elements?: { action_id: string; value: string }[] }[])
          .filter((b) => b.type === 'actions')
          .flatMap((b) => b.elements ?? [])
          .filter((el) => el.action_id.endsWith(`.${action}`) && el.value.includes(number))
          .map((el) => ({ el, ts: String(call.result?.ts ?? call.args.ts) })),
      )
      .at(-1);
    if (!found) throw new Error(`no ${action} button for ${number}`);
    return found;
  };

  const answerButton = (id: string, action: string) => {
    const answer = api.responses.filter((r) => r.id === id).at(-1);
    const blocks = (answer?.body.blocks ?? []) as { elements?: { action_id: string; value: string }[] }[];
    const el = blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id.endsWith(`.${action}`));
    if (!el) throw new Error(`no ${action} button in the answer to ${id}`);
    return { el, ts: '1' };
  };

  const request = async (s: Step): Promise<Record<string, string>> => {
    const id = `step-${++step}`;
    const trigger = `drill.${id}.trigger`;
    const responseUrl = api.responseUrl(id);
    answers.set(id, []);
    if (s.kind === 'command')
      return slashCommand({
        userId: s.user,
        channelId: CHANNEL,
        text: await resolve(s.line),
        responseUrl,
        triggerId: trigger,
      });
    const button =
      s.kind === 'click' ? await buttonFor(s.action, s.customer) : answerButton(`step-${step - 1}`, s.action);
    return interactionForm(
      blockAction({
        userId: s.user,
        channelId: CHANNEL,
        messageTs: button.ts,
        actionId: button.el.action_id,
        value: button.el.value,
        responseUrl,
        triggerId: trigger,
        ephemeral: s.kind === 'answerButton',
      }),
    );
  };

  /** One request to a coin-picked instance; sometimes Slack redelivers it to the other one at once. */
  const send = async (fields: Record<string, string>) => {
    const first = coin() < 0.5 ? 0 : 1;
    const to = (i: number) => instances[i % instances.length]!.events;
    const sends = [postForm(to(first), SECRET, fields)];
    traffic.first[first % instances.length]! += 1;
    if (coin() < 0.4) {
      sends.push(postForm(to(first + 1), SECRET, fields, { retryNum: 1 }));
      traffic.redelivered += 1;
    }
    for (const answer of await Promise.all(sends)) expect(answer.status).toBe(200);
    await Promise.all(instances.map((i) => i.slack.idle()));
  };

  /** Both instances' outbox workers drain together (SKIP LOCKED decides who sends what). */
  // Only what is due: an App Home refresh waits for its coalescing window, and this day's clock stands still.
  const dueNow = async () =>
    (
      await core.db
        .select({ id: outbox.id })
        .from(outbox)
        .where(and(eq(outbox.status, 'pending'), lte(outbox.notBefore, core.clock())))
    ).length;
  const drain = async () => {
    for (let pass = 0; (await dueNow()) > 0; pass++) {
      if (pass > 50) throw new Error('outbox not drained');
      await Promise.all(instances.map((i) => deliverDue(i.core, i.slack.deliverer)));
    }
  };

  for (const entry of DAY) {
    const burst = Array.isArray(entry) ? entry : [entry];
    const bodies = [];
    for (const s of burst) bodies.push(await request(s));
    await Promise.all(bodies.map((b) => send(b)));
    await drain();
  }
  for (const r of api.responses) answers.get(r.id)?.push(JSON.stringify({ text: r.body.text, blocks: r.body.blocks }));
  return { api, core, answers, traffic };
}

/** The end state with generated numbers, ids, timestamps and message ts replaced by stable names. */
/** Runs the dispatcher answered as a redelivery already handled (on any instance). */
async function duplicatesSeen(team: Instance[]): Promise<number> {
  let n = 0;
  for (const i of team)
    for (const v of (await i.slack.metrics.commands.get()).values) if (v.labels.outcome === 'duplicate') n += v.value;
  return n;
}

async function endState(run: Run) {
  const { core, api } = run;
  const all = await core.db.select().from(tickets).orderBy(asc(tickets.id));
  const perCustomer = new Map<string, number>();
  const label = new Map<number, string>();
  const byNumber = new Map<string, string>();
  for (const t of all) {
    const k = (perCustomer.get(t.customerId) ?? 0) + 1;
    perCustomer.set(t.customerId, k);
    label.set(t.id, `${t.customerId}#${k}`);
    byNumber.set(t.number, `${t.customerId}#${k}`);
  }
  const stable = (text: unknown) =>
    String(text ?? '')
      .replace(/GGN-\d{6,}/g, (n) => byNumber.get(n) ?? n)
      .replace(/\d{10}\.\d{6}/g, 'TS');
  const thread = new Map(all.map((t) => [t.cardRef?.messageId, label.get(t.id)]));

  const events = await core.db.select().from(ticketEvents).orderBy(asc(ticketEvents.id));
  const eventsOf = (id: number) => events.filter((e) => e.ticketId === id);
  const esc = await core.db.select().from(escalations).orderBy(asc(escalations.id));
  // App Home refreshes wait for their coalescing window (the clock stands still here): the
  // channel and thread messages are what both runs must agree on.
  const rows = (await core.db.select().from(outbox).orderBy(asc(outbox.id))).filter(
    (r) => (r.payload as { kind?: string }).kind !== 'home',
  );

  const group = <T>(items: T[], key: (x: T) => string, value: (x: T) => string) => {
    const out: Record<string, string[]> = {};
    for (const x of items) {
      const k = key(x);
      out[k] = [...(out[k] ?? []), value(x)];
    }
    for (const list of Object.values(out)) list.sort();
    return out;
  };

  // Requests that arrive together take ids in either order: compare by customer, not by id.
  const byTicket = (a: { ticket?: string }, b: { ticket?: string }) => String(a.ticket).localeCompare(String(b.ticket));
  return {
    tickets: all
      .map((t) => ({
        ticket: label.get(t.id),
        service: t.service,
        status: t.status,
        assignee: t.assignee,
        openedBy: t.openedBy,
        escalationLevel: t.escalationLevel,
        repeatCount: t.repeatCount,
        relatedTo: t.relatedTo ? label.get(t.relatedTo) : null,
        resolutionCode: t.resolutionCode,
        checklist: deriveChecklist(eventsOf(t.id)).map((c) => `${c.clause}:${c.state}`),
        events: eventsOf(t.id).map((e) => `${e.type} by ${e.actor}`),
      }))
      .sort(byTicket),
    escalations: esc
      .map((e) => ({
        ticket: label.get(e.ticketId),
        level: e.level,
        reason: e.reason,
        status: e.status,
        requestedBy: e.requestedBy,
        decidedBy: e.decidedBy,
        decisionNote: e.decisionNote,
      }))
      .sort(byTicket),
    outbox: {
      unsent: rows.filter((r) => r.status !== 'sent').length,
      byTarget: group(
        rows,
        (r) => {
          const m = r.payload as { kind: string; reply?: { ticket?: string | null; audience?: string } };
          return `${r.channel} ${m.kind} ${m.reply?.audience} ${stable(m.reply?.ticket)}`;
        },
        (r) => stable((r.payload as { reply?: { text?: string } }).reply?.text),
      ),
    },
    slackShows: group(
      api.channelMessages().filter((c) => c.answer === 'ok'),
      (c) =>
        `${c.method} ${c.args.channel} ${c.args.thread_ts ? `thread of ${thread.get(String(c.args.thread_ts))}` : ''}`,
      (c) => stable(JSON.stringify({ text: c.args.text, blocks: c.args.blocks })),
    ),
    answers: Object.fromEntries([...run.answers].map(([id, list]) => [id, list.map(stable)])),
  };
}

const clock = () => new Date('2026-12-01T02:00:00Z');
const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const done of cleanup.reverse()) await done().catch(() => undefined);
});

async function dayOn(count: number, seed: number) {
  const db = await freshDatabase('posko_pair');
  const api = await new FakeSlackApi().start();
  cleanup.push(
    () => db.drop(),
    () => api.close(),
  );
  const team = await startTeam(db, api, count, clock);
  cleanup.push(...team.map((i) => () => i.close()));
  const run = await playDay(team, api, seed);
  return { ...(await endState(run)), traffic: run.traffic, duplicates: await duplicatesSeen(team) };
}

// Two processes' worth of connections on one database needs a real server (PGlite is one process's).
describe.skipIf(!TEST_DATABASE_URL)('two posko instances behind one Slack endpoint, one PostgreSQL', () => {
  it('interleaved commands and clicks plus redeliveries to the other instance: the same end state as one instance', async () => {
    const single = await dayOn(1, 1);
    const pair = await dayOn(2, 1);

    // The day did what it says, so the comparison is about something.
    expect(single.tickets).toHaveLength(5);
    expect(single.tickets.map((t) => `${t.ticket} ${t.status}`)).toEqual(
      expect.arrayContaining([
        `${CUSTOMERS.siti.id}#1 closed`,
        `${CUSTOMERS.siti.id}#2 open`,
        `${CUSTOMERS.budi.id}#1 closed`,
        `${CUSTOMERS.maju.id}#1 escalated`,
        `${CUSTOMERS.dewi.id}#1 closed`,
      ]),
    );
    expect(single.escalations.map((e) => e.status)).toEqual(['approved', 'rejected', 'approved']);
    expect(single.outbox.unsent).toBe(0);
    expect(Object.values(single.answers).filter((a) => a.length > 0).length).toBeGreaterThan(25);
    // Both instances served, and every redelivery met the first delivery's claim, wherever it ran.
    expect(pair.traffic.first.every((n) => n > 5)).toBe(true);
    expect(pair.traffic.redelivered).toBeGreaterThan(5);
    // A refused request leaves no claim (nothing changed, so it may be tried again) and a click that
    // only opens a form runs nothing: the rest of the redeliveries were each stopped as duplicates.
    expect(pair.duplicates).toBeGreaterThan(5);
    expect(pair.duplicates).toBe(single.duplicates);

    expect(pair.tickets).toEqual(single.tickets);
    expect(pair.escalations).toEqual(single.escalations);
    expect(pair.outbox).toEqual(single.outbox);
    expect(pair.slackShows).toEqual(single.slackShows);
    expect(pair.answers).toEqual(single.answers);
  }, 120_000);
});
