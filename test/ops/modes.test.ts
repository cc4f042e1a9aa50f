import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleProcess } from '../drills/console-process.js';
import { type FakeDiscord, startFakeDiscord } from '../fakes/discord/fake-discord.js';
import { freePort, type PoskoProcess, startPoskoProcess } from '../helpers/posko-process.js';

/**
 * posko's own HTTP server in the modes without Slack: the real `posko start` as a process, its
 * /healthz, /readyz and /metrics asked over HTTP as an orchestrator and Prometheus would.
 */
async function get(port: number, path: string) {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(1_000) });
  return { status: res.status, text: await res.text() };
}

/** Asks until /readyz says ready (start-up done, database and migrations checked). */
async function untilReady(port: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const answer = await get(port, '/readyz').catch(() => undefined);
    if (answer?.status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('posko never became ready');
}

async function expectEndpoints(port: number) {
  const health = await get(port, '/healthz');
  expect(health.status).toBe(200);
  expect(JSON.parse(health.text)).toMatchObject({ status: 'ok', database: { state: 'ok' } });
  const ready = await get(port, '/readyz');
  expect(JSON.parse(ready.text)).toEqual({ status: 'ready', reasons: [] });
  const metrics = await get(port, '/metrics');
  expect(metrics.status).toBe(200);
  for (const name of [
    'posko_database_up 1',
    '# TYPE posko_job_runs_total counter',
    '# TYPE posko_monita_poll_pages_total counter',
    '# TYPE posko_outbox_depth gauge',
    '# TYPE posko_outbox_oldest_age_seconds gauge',
    '# TYPE posko_outbox_dead_messages gauge',
    'posko_process_resident_memory_bytes',
  ])
    expect(metrics.text).toContain(name);
  return metrics.text;
}

describe('console mode', () => {
  let port: number;
  let posko: ConsoleProcess;
  beforeAll(async () => {
    port = await freePort();
    posko = new ConsoleProcess({ DATABASE_URL: 'memory://', PORT: String(port) });
    await untilReady(port);
  });
  afterAll(async () => {
    await posko?.end();
  });

  it('serves /healthz, /readyz and /metrics on PORT; a job run from the console is counted', async () => {
    await posko.type('job sla-watch');
    const metrics = await expectEndpoints(port);
    expect(metrics).toMatch(/^posko_job_runs_total\{job="sla-watch",outcome="ok"\} 1$/m);
  });
});

describe('Discord-only mode', () => {
  let fake: FakeDiscord;
  let posko: PoskoProcess;
  beforeAll(async () => {
    fake = await startFakeDiscord();
    posko = await startPoskoProcess({
      DATABASE_URL: 'memory://',
      DISCORD_TOKEN: fake.token,
      DISCORD_API_URL: fake.apiUrl,
      LOG_LEVEL: 'info',
    });
  });
  afterAll(async () => {
    await posko?.stop();
    await fake?.close();
  });

  it('serves /healthz, /readyz and /metrics on PORT (0 here: the port is in the ready line)', async () => {
    const port = Number(/"port":(\d+)[^\n]*posko ready/.exec(posko.output())?.[1]);
    expect(port).toBeGreaterThan(0);
    await untilReady(port);
    await expectEndpoints(port);
    expect(posko.output()).not.toMatch(/"platform":"slack"/);
  });
});
