/**
 * The stage for the Slack benchmarks: the fake Slack Web API, the real posko process in Slack mode
 * on a PostgreSQL database, the bare Bolt app — each in its own process — and the load that
 * drives them.
 */
import type { ChildProcess } from 'node:child_process';
import type postgres from 'postgres';
import type { FakeSlackCounts, FakeSlackReady } from './fakes-server.js';
import { freePort, nextMessage, spawnPosko, spawnTs, stopChild, tail, waitForOk } from './processes.js';
import { driveSlashCommands, type LoadResult } from './slash-load.js';

export const SIGNING_SECRET = 'bench-signing-secret';
export const CONCURRENCY = 50;

export interface FakeSlack extends FakeSlackReady {
  counts(): Promise<FakeSlackCounts>;
  stop(): Promise<void>;
}

export async function startFakeSlack(): Promise<FakeSlack> {
  const child = spawnTs('bench/support/fakes-server.ts');
  const ready = await nextMessage(child, (m): m is FakeSlackReady => typeof (m as FakeSlackReady)?.apiUrl === 'string');
  return {
    ...ready,
    counts: () => {
      const answer = nextMessage(child, (m): m is FakeSlackCounts => (m as FakeSlackCounts)?.counts === true);
      child.send('counts');
      return answer;
    },
    stop: () => stopChild(child),
  };
}

export interface SlackTarget {
  child: ChildProcess;
  /** POST /slack/events */
  eventsUrl: string;
  stop(): Promise<void>;
}

export interface PoskoProcess extends SlackTarget {
  /** From spawn to the first 200 from GET /readyz (started, database and migrations checked), ms. */
  readyMs: number;
  stderr(): string;
}

/** `npx posko start` with Slack over HTTP on a free PORT, the given database and the fake Web API. */
export async function startPoskoSlack(
  databaseUrl: string,
  fake: FakeSlack,
  nodeArgs: string[] = [],
): Promise<PoskoProcess> {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawnPosko(
    ['start'],
    {
      DATABASE_URL: databaseUrl,
      SLACK_BOT_TOKEN: 'xoxb-bench',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      MONITA_URL: fake.monitaUrl,
      POSKO_ADMINS: 'slack:USPV',
      PORT: String(port),
    },
    nodeArgs,
  );
  child.stdout?.resume();
  const stderr = tail(child.stderr);
  try {
    await waitForOk(`http://127.0.0.1:${port}/readyz`, child);
  } catch (err) {
    await stopChild(child);
    throw new Error(`${(err as Error).message}\n${stderr()}`);
  }
  return {
    child,
    readyMs: performance.now() - t0,
    eventsUrl: `http://127.0.0.1:${port}/slack/events`,
    stderr,
    stop: () => stopChild(child, 30_000),
  };
}

/** The bare Bolt app in its own process, listening on a free port. */
export async function startBareBolt(fake: FakeSlack): Promise<SlackTarget> {
  const port = await freePort();
  const child = spawnTs('bench/support/bare-bolt-app.ts', {
    PORT: String(port),
    SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
  });
  await nextMessage(child, (m): m is { ready: true } => (m as { ready?: boolean })?.ready === true);
  return { child, eventsUrl: `http://127.0.0.1:${port}/slack/events`, stop: () => stopChild(child) };
}

/** `count` distinct customers' `/tiket buka` from customer number `first`, 50 in flight. */
export function load(target: SlackTarget, fake: FakeSlack, first: number, count: number): Promise<LoadResult> {
  return driveSlashCommands({
    url: target.eventsUrl,
    secret: SIGNING_SECRET,
    first,
    count,
    concurrency: CONCURRENCY,
    responseUrl: (i) => `${fake.origin}/respond/c${i}`,
  });
}

export interface WorkDone {
  tickets: number;
  /** response_url answers naming a ticket. */
  ticketAnswers: number;
  /** Card rows the commands queued for the team channel. */
  outboxRows: number;
  timedOut: boolean;
}

/**
 * Waits until posko has finished what it acked: `expected` tickets in the database and as many
 * answers on response_url. (The cards themselves go out at Slack's pace of one a second per
 * channel, so only their outbox rows are counted.)
 */
export async function waitForWork(
  sql: postgres.Sql,
  fake: FakeSlack,
  expected: number,
  timeoutMs: number,
): Promise<WorkDone> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // An answer follows its ticket's commit: the database is counted only once the answers are in
    // (counting tables every poll took PostgreSQL's CPU from the process being measured).
    const { ticketAnswers } = await fake.counts();
    const timedOut = Date.now() > deadline;
    if (ticketAnswers >= expected || timedOut) {
      const [row] =
        await sql`SELECT (SELECT count(*) FROM tickets)::int AS tickets, (SELECT count(*) FROM outbox)::int AS outbox`;
      const tickets = Number(row?.tickets);
      const done = tickets >= expected && ticketAnswers >= expected;
      if (done || timedOut) return { tickets, ticketAnswers, outboxRows: Number(row?.outbox), timedOut: !done };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
