import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboundDedupe, outbox, roster, tickets } from '../../src/db/schema.js';
import { slashCommand } from '../fakes/slack/payloads.js';
import { postForm, postJson, postSignedRaw, slackSignature } from '../fakes/slack/signed.js';
import { CHANNEL, SECRET, type SlackHarness, startSlackHarness } from './harness.js';

/** Slack signs every request; anything not signed with our secret, or replayed late, is refused. */
let h: SlackHarness;

beforeAll(async () => {
  h = await startSlackHarness();
}, 60_000);
afterAll(async () => {
  await h?.close();
});

const OPEN = 'buka layanan=indihome id=122123456789 nama="Siti Rahmawati" kontak=081234567890 keluhan="internet mati"';

async function nothingChanged() {
  await h.slack.idle();
  expect(await h.core.db.select().from(tickets)).toHaveLength(0);
  expect(await h.core.db.select().from(outbox)).toHaveLength(0);
  expect(await h.core.db.select().from(inboundDedupe)).toHaveLength(0);
  expect(h.api.responses).toHaveLength(0);
  expect(h.api.calls.filter((c) => c.method !== 'auth.test')).toHaveLength(0);
}

describe('Slack request signatures', () => {
  it('a forged signature gets 401 and changes nothing', async () => {
    const r = await h.command('USPV', OPEN, { forgeWith: 'not-our-secret' });
    expect(r.status).toBe(401);
    await nothingChanged();
  });

  it('a correctly signed request older than five minutes gets 401 and changes nothing', async () => {
    const r = await h.command('USPV', OPEN, { timestamp: Math.floor(Date.now() / 1000) - 5 * 60 - 30 });
    expect(r.status).toBe(401);
    await nothingChanged();
  });

  it('a body altered after signing gets 401', async () => {
    const fields = slashCommand({
      userId: 'USPV',
      channelId: CHANNEL,
      text: 'bantuan',
      responseUrl: h.api.responseUrl('x'),
    });
    const ts = Math.floor(Date.now() / 1000);
    const signature = slackSignature(SECRET, ts, new URLSearchParams(fields).toString());
    const tampered = new URLSearchParams({ ...fields, text: `peran <@UEVIL> spv` }).toString();
    const res = await fetch(h.events, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': String(ts),
        'x-slack-signature': signature,
      },
      body: tampered,
    });
    expect(res.status).toBe(401);
    await h.slack.idle();
    expect(await h.core.db.select().from(roster)).toHaveLength(1); // only POSKO_ADMINS' supervisor
  });

  it("Slack's request-URL check (url_verification) is answered with its challenge, and only when signed", async () => {
    const check = { token: 'x', challenge: 'c4allenge', type: 'url_verification' };
    const ok = await postJson(h.events, SECRET, check);
    expect(ok.status).toBe(200);
    expect(JSON.stringify(ok.body)).toContain('c4allenge');
    expect((await postJson(h.events, SECRET, check, { forgeWith: 'nope' })).status).toBe(401);
  });

  it("Slack's unsigned ssl_check is answered 200, and a command smuggled beside it is dropped", async () => {
    const plain = await fetch(h.events, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'ssl_check=1&token=x',
    });
    expect(plain.status).toBe(200);
    const smuggled = new URLSearchParams({
      ssl_check: '1',
      payload: JSON.stringify(
        slashCommand({ text: OPEN, channelId: CHANNEL, userId: 'USPV', responseUrl: h.api.responseUrl('s1') }),
      ),
    });
    const r = await fetch(h.events, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: smuggled.toString(),
    });
    expect(r.status).toBe(200);
    await nothingChanged();
  });

  it('a request without signature headers gets 401 and changes nothing', async () => {
    const r = await fetch(h.events, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(
        slashCommand({ text: OPEN, channelId: CHANNEL, userId: 'USPV', responseUrl: h.api.responseUrl('s2') }) as never,
      ).toString(),
    });
    expect(r.status).toBe(401);
    await nothingChanged();
  });

  it('a signed slash command other than /tiket is not run as one', async () => {
    const r = await postForm(
      h.events,
      SECRET,
      slashCommand({
        userId: 'USPV',
        channelId: CHANNEL,
        text: OPEN,
        command: '/lain',
        responseUrl: h.api.responseUrl('l'),
      }),
    );
    expect(r.status).not.toBe(200);
    await nothingChanged();
  });

  it('the same request properly signed and fresh is accepted (the refusals were about the signature)', async () => {
    const r = await postForm(
      h.events,
      SECRET,
      slashCommand({ userId: 'USPV', channelId: CHANNEL, text: OPEN, responseUrl: h.api.responseUrl('ok') }),
    );
    expect(r.status).toBe(200);
    await h.slack.idle();
    expect(await h.core.db.select().from(tickets)).toHaveLength(1);
  });
});

describe('issue 12 defect 5: future timestamps and malformed signed bodies', () => {
  const counts = async () => ({
    tickets: (await h.core.db.select().from(tickets)).length,
    outbox: (await h.core.db.select().from(outbox)).length,
    deliveries: (await h.core.db.select().from(inboundDedupe)).length,
    answers: h.api.responses.length,
  });
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);
  beforeAll(() => {
    process.on('unhandledRejection', onRejection);
  });
  afterAll(() => {
    process.off('unhandledRejection', onRejection);
  });

  it.each([
    ['six minutes', 6 * 60],
    ['a year', 365 * 24 * 3600],
  ])(
    'defect 5: a correctly signed request dated %s in the future gets 401 and changes nothing',
    async (_label, ahead) => {
      const before = await counts();
      const r = await h.command('USPV', OPEN.replace('122123456789', '122100009999'), {
        timestamp: Math.floor(Date.now() / 1000) + ahead,
      });
      expect(r.status).toBe(401);
      await h.slack.idle();
      expect(await counts()).toEqual(before);
    },
  );

  it('defect 5: a request dated four minutes ahead (clock skew) is still accepted', async () => {
    const r = await h.command('USPV', 'bantuan', { timestamp: Math.floor(Date.now() / 1000) + 4 * 60 });
    expect(r.status).toBe(200);
  });

  it.each([
    ['JSON null', 'null', 'application/json'],
    ['a JSON array', '[]', 'application/json'],
    ['a JSON number', '42', 'application/json'],
    ['JSON garbage', '{"type":', 'application/json'],
    ['a form whose payload is null', 'payload=null', 'application/x-www-form-urlencoded'],
    ['a form whose payload is garbage', 'payload=%7Bnope', 'application/x-www-form-urlencoded'],
  ])('defect 5: a signed body of %s gets 400 without an unhandled rejection', async (_label, body, type) => {
    const r = await postSignedRaw(h.events, SECRET, body, type);
    expect(r.status).toBe(400);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(rejections).toEqual([]);
  });

  it('defect 5: the same malformed body unsigned is refused as forged (401), not parsed', async () => {
    expect((await postSignedRaw(h.events, SECRET, 'null', 'application/json', { forgeWith: 'x' })).status).toBe(401);
  });
});
