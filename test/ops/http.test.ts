import { createServer, type Server, type Socket } from 'node:net';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src/app.js';
import { openDatabase } from '../../src/db/index.js';
import { outbox } from '../../src/db/schema.js';
import { type PoskoHttp, startHttpServer } from '../../src/http/server.js';
import { pollMonita } from '../../src/jobs/monita-poll.js';
import { runJobNow } from '../../src/jobs/scheduler.js';
import { createMonitaClient } from '../../src/monita/client.js';
import { startMonitaMock } from '../../src/monita/mock.js';
import { pgUrl, startJobsCore, type TestCore } from '../jobs/db.js';

/** GET with the health-check contract's own limit: an answer later than 1 s is a failure. */
async function get(http: PoskoHttp, path: string) {
  const res = await fetch(`http://127.0.0.1:${http.port}${path}`, { signal: AbortSignal.timeout(1_000) });
  const text = await res.text();
  return { status: res.status, text, json: () => JSON.parse(text) };
}

/** The value of one sample in Prometheus text, or undefined. */
function sample(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ''} `));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
}

describe('posko HTTP server on a working database', () => {
  let env: TestCore;
  let core: Core;
  let http: PoskoHttp;
  const now = new Date('2026-12-01T02:00:00Z');

  beforeAll(async () => {
    env = await startJobsCore(() => now);
    core = env.core;
    // The loop stays out of the way: each test probes when it wants a fresh state.
    http = await startHttpServer(core, { port: 0, probe: { intervalMs: 60_000 } });
    await http.probe.probe();
  });
  afterAll(async () => {
    await http?.close();
    await env?.close();
  });

  it('/healthz says ok with the database, the migrations and the outbox', async () => {
    const res = await get(http, '/healthz');
    expect(res.status).toBe(200);
    const body = res.json();
    expect(body.status).toBe('ok');
    expect(body.database.state).toBe('ok');
    expect(body.migrations.applied).toBe(true);
  });

  it('/readyz waits for start-up to finish, then says ready', async () => {
    http.setStarted(false);
    const starting = await get(http, '/readyz');
    expect(starting.status).toBe(503);
    expect(starting.json().reasons).toEqual(['starting']);
    http.setStarted(true);
    expect((await get(http, '/readyz')).status).toBe(200);
  });

  it('/metrics shows outbox depth, oldest age and dead messages per platform from the outbox table', async () => {
    const at = new Date(now.getTime() - 90_000);
    const row = (key: string, platform: string, status: string) => ({
      dedupeKey: key,
      platform,
      channel: 'C1',
      payload: { kind: 'post' },
      status,
      notBefore: at,
      createdAt: at,
    });
    await core.db
      .insert(outbox)
      .values([row('m1', 'slack', 'pending'), row('m2', 'slack', 'pending'), row('m3', 'discord', 'dead')]);
    await http.probe.probe();
    const text = (await get(http, '/metrics')).text;
    expect(sample(text, 'posko_outbox_depth', 'platform="slack"')).toBe(2);
    expect(sample(text, 'posko_outbox_oldest_age_seconds', 'platform="slack"')).toBe(90);
    expect(sample(text, 'posko_outbox_dead_messages', 'platform="discord"')).toBe(1);
    expect(sample(text, 'posko_database_up')).toBe(1);
    expect(text).toContain('posko_process_resident_memory_bytes');
    const health = (await get(http, '/healthz')).json();
    expect(health.outbox).toContainEqual({ platform: 'slack', pending: 2, oldestAgeSeconds: 90, dead: 0 });
  });

  it('/metrics counts job runs, their duration and failures', async () => {
    const before = (await get(http, '/metrics')).text;
    const ok = (t: string) => sample(t, 'posko_job_runs_total', 'job="sla-watch",outcome="ok"') ?? 0;
    const timed = (t: string) => sample(t, 'posko_job_duration_seconds_count', 'job="sla-watch"') ?? 0;
    await runJobNow(core, 'sla-watch');
    const failing = { ...core, monita: createMonitaClient({ baseUrl: 'http://127.0.0.1:9', timeoutMs: 200 }) };
    // A MONITA client that fails with something else than "unavailable" makes the job throw.
    failing.monita.fetchUpdates = async () => {
      throw new Error('feed answered nonsense');
    };
    await expect(runJobNow(failing, 'monita-poll')).rejects.toThrow('nonsense');
    const after = (await get(http, '/metrics')).text;
    expect(ok(after) - ok(before)).toBe(1);
    expect(timed(after) - timed(before)).toBe(1);
    const failed = (t: string) => sample(t, 'posko_job_failures_total', 'job="monita-poll"') ?? 0;
    expect(failed(after) - failed(before)).toBe(1);
  });

  it('/metrics counts MONITA pages, the lag of the newest update and feed errors', async () => {
    const mock = await startMonitaMock({ port: 0, seed: 'ops-metrics', speed: 1, unref: true });
    try {
      const client = createMonitaClient({ baseUrl: mock.url, timeoutMs: 2_000 });
      const before = (await get(http, '/metrics')).text;
      await pollMonita(core, client, now);
      await pollMonita(core, createMonitaClient({ baseUrl: 'http://127.0.0.1:9', timeoutMs: 200 }), now);
      const after = (await get(http, '/metrics')).text;
      const pages = (t: string) => sample(t, 'posko_monita_poll_pages_total') ?? 0;
      const errors = (t: string) => sample(t, 'posko_monita_poll_errors_total') ?? 0;
      expect(pages(after) - pages(before)).toBeGreaterThanOrEqual(1);
      expect(errors(after) - errors(before)).toBe(1);
      expect(sample(after, 'posko_monita_poll_lag_seconds')).toBeGreaterThanOrEqual(0);
    } finally {
      await mock.close();
    }
  });

  it('answers 404 elsewhere and 405 to a POST on its own paths', async () => {
    expect((await fetch(`http://127.0.0.1:${http.port}/nope`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${http.port}/healthz`, { method: 'POST' })).status).toBe(405);
  });
});

describe('readiness before the migrations', () => {
  it('/readyz says not ready until the migrations ran, then ready', async () => {
    const database = await openDatabase({ url: 'memory://', dataDir: '' });
    const core = { db: database.db, clock: () => new Date(), log: pino({ level: 'silent' }) } as unknown as Core;
    const http = await startHttpServer(core, { port: 0, probe: { intervalMs: 60_000 } });
    try {
      http.setStarted(true);
      await http.probe.probe();
      const before = await get(http, '/readyz');
      expect(before.status).toBe(503);
      expect(before.json().reasons).toEqual(['migrations not applied']);
      await database.migrate();
      await http.probe.probe();
      expect((await get(http, '/readyz')).status).toBe(200);
    } finally {
      await http.close();
      await database.close();
    }
  });
});

describe('issue 12 defect 8: /healthz while the database hangs', () => {
  // A "PostgreSQL" that accepts connections and never says a word: every query hangs.
  let silent: Server;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    silent = createServer((s) => sockets.push(s));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  it('answers degraded before a 1 s client timeout, and /readyz says not ready', async () => {
    const { port } = silent.address() as { port: number };
    const database = await openDatabase({ url: `postgres://posko@127.0.0.1:${port}/posko`, dataDir: '' });
    const core = { db: database.db, clock: () => new Date(), log: pino({ level: 'silent' }) } as unknown as Core;
    const http = await startHttpServer(core, { port: 0, probe: { intervalMs: 100, timeoutMs: 300 } });
    try {
      http.setStarted(true);
      // Right away (the first probe still hangs) and again once the probe's own limit has passed.
      for (const wait of [0, 500]) {
        await new Promise((resolve) => setTimeout(resolve, wait));
        const health = await get(http, '/healthz');
        expect(health.status).toBe(200);
        expect(health.json().status).toBe('degraded');
        expect(['unknown', 'timeout']).toContain(health.json().database.state);
        const ready = await get(http, '/readyz');
        expect(ready.status).toBe(503);
        expect(ready.json().reasons[0]).toMatch(/^database (unknown|timeout)$/);
        const metrics = await get(http, '/metrics');
        expect(sample(metrics.text, 'posko_database_up')).toBe(0);
      }
      expect((await get(http, '/healthz')).json().database.state).toBe('timeout');
      // Only one probe is ever waiting on the hung database: the silent server saw one connection.
      expect(sockets.length).toBe(1);
    } finally {
      await http.close();
      void database.close();
    }
  });

  it.runIf(pgUrl)(
    'PostgreSQL: answers degraded while pg_sleep holds the only connection, ok once it is free',
    async () => {
      const database = await openDatabase({ url: pgUrl!, dataDir: '', max: 1 });
      const core = { db: database.db, clock: () => new Date(), log: pino({ level: 'silent' }) } as unknown as Core;
      const http = await startHttpServer(core, { port: 0, probe: { intervalMs: 100, timeoutMs: 300 } });
      try {
        // then(): a drizzle query runs only once something waits for it.
        const held = database.db.execute(sql`select pg_sleep(2)`).then(() => undefined);
        await new Promise((resolve) => setTimeout(resolve, 600));
        const health = await get(http, '/healthz');
        expect(health.json()).toMatchObject({ status: 'degraded', database: { state: 'timeout' } });
        await held;
        await http.probe.probe();
        expect((await get(http, '/healthz')).json()).toMatchObject({ status: 'ok', database: { state: 'ok' } });
      } finally {
        await http.close();
        await database.close();
      }
    },
  );
});
