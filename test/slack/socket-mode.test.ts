import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tickets } from '../../src/db/schema.js';
import { createSlackApp, type SlackApp } from '../../src/platforms/slack/app.js';
import { slashCommand, triggerId } from '../fakes/slack/payloads.js';
import { FakeSocketModeServer } from '../fakes/slack/socket-mode.js';
import { FakeSlackApi } from '../fakes/slack/web-api.js';
import { startSlackTestCore } from './core.js';

/**
 * Socket Mode: the app asks the (fake) Web API's apps.connections.open for a WebSocket URL,
 * connects to the local fake Socket Mode server, and gets its slash commands over that socket.
 */
let api: FakeSlackApi;
let socket: FakeSocketModeServer;
let test: Awaited<ReturnType<typeof startSlackTestCore>>;
let slack: SlackApp;
let port = 0;

beforeAll(async () => {
  api = await new FakeSlackApi().start();
  socket = await new FakeSocketModeServer().start();
  api.socketModeUrl = socket.url;
  test = await startSlackTestCore({ clock: () => new Date(), env: { POSKO_ADMINS: 'slack:USPV' } });
  slack = createSlackApp(test.core, { botToken: 'xoxb-test', appToken: 'xapp-test', apiUrl: api.apiUrl, port: 0 });
  ({ port } = await slack.start());
  await socket.connected();
}, 60_000);
afterAll(async () => {
  await slack?.stop();
  await socket?.close();
  await test?.close();
  await api?.close();
});

describe('Slack over Socket Mode', () => {
  it('connects with the app token through apps.connections.open', () => {
    const open = api.calls.find((c) => c.method === 'apps.connections.open');
    expect(open?.token).toBe('xapp-test');
    expect(slack.mode).toBe('socket');
  });

  it('P5.4 a /tiket command delivered over the socket is acked and runs', async () => {
    const fields = slashCommand({
      userId: 'USPV',
      channelId: 'CSOCK',
      text: 'buka layanan=telepon id=021555123456 nama="Andi Wijaya" kontak=081298765432 keluhan="nada sibuk terus"',
      responseUrl: api.responseUrl('sock-1'),
      triggerId: triggerId(),
    });
    const ack = await socket.deliver('slash_commands', fields);
    expect(ack).toEqual({}); // acknowledged at once, empty
    await slack.idle();
    const [t] = await test.core.db.select().from(tickets);
    expect(t).toMatchObject({ channel: 'CSOCK', openedBy: 'slack:USPV', contact: '+6281298765432' });
    const answer = api.responses.find((r) => r.id === 'sock-1');
    expect(answer?.body.response_type).toBe('ephemeral');
    expect(String(answer?.body.text)).toContain(t?.number);

    // A redelivery of the same envelope content (same trigger_id) has no second effect.
    await socket.deliver('slash_commands', fields, 1);
    await slack.idle();
    expect(await test.core.db.select().from(tickets)).toHaveLength(1);
    expect(api.responses.filter((r) => r.id === 'sock-1')).toHaveLength(1);
  });

  it('still serves /healthz and /metrics on PORT', async () => {
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    expect(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()).toContain(
      'posko_commands_total{command="buka",outcome="ok",via="command"} 1',
    );
  });
});
