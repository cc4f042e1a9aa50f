import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboundDedupe, outbox, roster, tickets } from '../../src/db/schema.js';
import { slashCommand } from '../fakes/slack/payloads.js';
import { postForm, postJson, slackSignature } from '../fakes/slack/signed.js';
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
