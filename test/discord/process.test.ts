import { GatewayIntentBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeDiscord, startFakeDiscord } from '../fakes/discord/fake-discord.js';
import { FakeSlackApi } from '../fakes/slack/web-api.js';
import { freePort, type PoskoProcess, startPoskoProcess } from '../helpers/posko-process.js';

/**
 * `npm start` with DISCORD_TOKEN set (and Slack configured too): the real posko process logs in
 * to the fake Discord gateway found through DISCORD_API_URL's /gateway/bot, answers a /tiket
 * interaction, and its own outbox worker posts the card and starts the thread on Discord —
 * while Slack runs beside it.
 */
const CITRA = '500000000000000001';
let fake: FakeDiscord;
let slack: FakeSlackApi;
let posko: PoskoProcess;

beforeAll(async () => {
  fake = await startFakeDiscord();
  fake.user(CITRA, 'citra');
  slack = await new FakeSlackApi().start();
  posko = await startPoskoProcess({
    DATABASE_URL: 'memory://',
    DISCORD_TOKEN: fake.token,
    DISCORD_API_URL: fake.apiUrl,
    SLACK_BOT_TOKEN: 'xoxb-beside',
    SLACK_SIGNING_SECRET: 'beside-secret',
    SLACK_API_URL: slack.apiUrl,
    PORT: String(await freePort()),
    POSKO_ADMINS: `discord:${CITRA}`,
    LOG_LEVEL: 'info',
  });
}, 60_000);

afterAll(async () => {
  await posko?.stop();
  await fake?.close();
  await slack?.close();
});

describe('posko start with Discord configured', () => {
  it('logs in through /gateway/bot with the Guilds intent only, beside Slack', async () => {
    expect(fake.calls.find((c) => c.path === '/gateway/bot')?.auth).toBe(`Bot ${fake.token}`);
    expect(fake.identifies).toHaveLength(1);
    expect(fake.identifies[0].intents).toBe(GatewayIntentBits.Guilds);
    expect(posko.output()).toMatch(/"platform":"slack".*platform started/);
    expect(posko.output()).toMatch(/"platform":"discord".*platform started/);
  });

  it('answers a /tiket interaction and delivers the card with its thread through its own outbox worker', async () => {
    const id = fake.push(
      fake.slash(CITRA, 'buka', {
        layanan: 'global',
        id: 'GLB00012345',
        nama: 'PT Maju Jaya',
        kontak: '02150001234',
        keluhan: 'link down',
      }),
    );
    await fake.until(() => fake.repliesTo(id).some((m) => /GGN-\d{6}/.test(m.content)));
    const number = /GGN-\d{6}/.exec(fake.repliesTo(id)[0]!.content)![0];
    await fake.until(() => fake.messagesIn(fake.channelId).some((m) => fake.threadOf(m.id)));
    const card = fake.messagesIn(fake.channelId)[0]!;
    expect(card.content).toContain(number);
    expect(fake.threadOf(card.id)?.name).toContain(number);
    // a Discord ticket is not posted to Slack
    expect(slack.calls.filter((c) => c.method === 'chat.postMessage')).toHaveLength(0);
  });

  it('stops cleanly on SIGTERM', async () => {
    expect(await posko.stop()).toBe(0);
    expect(fake.calls.length).toBeGreaterThan(0);
  });
});
