import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slashCommand, triggerId } from '../fakes/slack/payloads.js';
import { postForm } from '../fakes/slack/signed.js';
import { FakeSlackApi } from '../fakes/slack/web-api.js';
import { freePort, type PoskoProcess, startPoskoProcess } from '../helpers/posko-process.js';

/**
 * `npm start` with SLACK_BOT_TOKEN set: the real posko process serves Slack over HTTP on PORT,
 * answers a signed /tiket, and its own outbox worker posts the card through the fake Web API.
 */
const SECRET = 'process-signing-secret';
let api: FakeSlackApi;
let posko: PoskoProcess;
let port = 0;

beforeAll(async () => {
  api = await new FakeSlackApi().start();
  port = await freePort();
  posko = await startPoskoProcess({
    DATABASE_URL: 'memory://',
    SLACK_BOT_TOKEN: 'xoxb-process',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: api.apiUrl,
    PORT: String(port),
    POSKO_ADMINS: 'slack:USPV',
    LOG_LEVEL: 'info',
  });
}, 60_000);

afterAll(async () => {
  await posko?.stop();
  await api?.close();
});

describe('posko start with Slack configured', () => {
  it('serves /slack/events, /healthz and /metrics on PORT and delivers the card through the outbox', async () => {
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    const r = await postForm(
      `http://127.0.0.1:${port}/slack/events`,
      SECRET,
      slashCommand({
        userId: 'USPV',
        channelId: 'CPROC',
        text: 'buka layanan=global id=GLB00012345 nama="PT Maju Jaya" kontak=02150001234 keluhan="link down"',
        responseUrl: api.responseUrl('proc-1'),
        triggerId: triggerId(),
      }),
    );
    expect(r.status).toBe(200);
    await api.waitFor(() => api.responses.some((x) => x.id === 'proc-1'));
    const number = /GGN-\d+/.exec(String(api.responses.find((x) => x.id === 'proc-1')?.body.text))?.[0];
    expect(number).toBeDefined();
    await api.waitFor(() => api.ok('chat.postMessage').some((c) => c.args.channel === 'CPROC'));
    const card = api.ok('chat.postMessage').find((c) => c.args.channel === 'CPROC');
    expect(String(card?.args.text)).toContain(number);
    expect(card?.token).toBe('xoxb-process');
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toContain('posko_commands_total{command="buka",outcome="ok",via="command"} 1');
  });

  it('stops cleanly on SIGTERM', async () => {
    expect(await posko.stop()).toBe(0);
  });
});
