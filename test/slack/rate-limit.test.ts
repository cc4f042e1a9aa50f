import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../../src/db/schema.js';
import { type SlackHarness, startSlackHarness } from './harness.js';

/** DESIGN §6: Retry-After on a 429 is honoured for that channel only; nothing is lost or doubled. */
const AGENT = 'UAGENT3';
const BUSY = 'CBUSY';
const CALM = 'CCALM';
let h: SlackHarness;

beforeAll(async () => {
  h = await startSlackHarness();
  await h.command('USPV', `peran <@${AGENT}> agent tim=a`);
}, 60_000);
afterAll(async () => {
  await h?.close();
});

const open = (channel: string, id: string) =>
  h.command(AGENT, `buka layanan=internet id=${id} nama="Rudi Hartono" kontak=0813${id.slice(-8)} keluhan="lambat"`, {
    channel,
  });
const okPosts = (channel: string) => h.api.ok('chat.postMessage').filter((c) => c.args.channel === channel);
const number = (r: Awaited<ReturnType<typeof open>>) => /GGN-\d+/.exec(String(r.responses[0]?.body.text))?.[0];

describe('direct messages', () => {
  it('a DM opens the conversation with conversations.open and posts there', async () => {
    const ref = await h.slack.deliverer.dm('slack:USPV', {
      audience: 'channel',
      ticket: null,
      error: null,
      text: 'Ringkasan shift',
    });
    expect(h.api.ok('conversations.open').at(-1)?.args.users).toBe('USPV');
    expect(ref).toMatchObject({ platform: 'slack', channel: 'DUSPV' });
    expect(h.api.ok('chat.postMessage').at(-1)?.args).toMatchObject({ channel: 'DUSPV', text: 'Ringkasan shift' });
    h.api.reset();
  });
});

describe('Slack rate limits', () => {
  it('a 429 on one channel delays only that channel, then everything arrives once', async () => {
    const busy = number(await open(BUSY, '900000000001'));
    await h.command(AGENT, `catat ${busy} menunggu jadwal teknisi`, { channel: BUSY });
    const calm = number(await open(CALM, '900000000002'));
    await h.command(AGENT, `catat ${calm} sudah koordinasi dengan NOC`, { channel: CALM });
    const queued = await h.core.db.select().from(outbox);

    h.api.rateLimit(BUSY, 1, 30);
    await h.deliver();
    // The busy channel got one 429 and nothing else; the calm one got its card and its thread.
    expect(h.api.calls.filter((c) => c.args.channel === BUSY).map((c) => c.answer)).toEqual(['rate_limited']);
    expect(okPosts(CALM)).toHaveLength(2);
    expect(okPosts(CALM)[1]?.args.thread_ts).toBe(okPosts(CALM)[0]?.result?.ts);

    // Before Retry-After has passed, another pass leaves the busy channel alone.
    h.advance(29_000);
    await h.deliver();
    expect(h.api.calls.filter((c) => c.args.channel === BUSY)).toHaveLength(1);

    h.advance(1_000);
    await h.deliver();
    const busyPosts = okPosts(BUSY);
    expect(busyPosts).toHaveLength(2);
    expect(String(busyPosts[0]?.args.text)).toContain(busy);
    expect(busyPosts[1]?.args.thread_ts).toBe(busyPosts[0]?.result?.ts); // order kept: the thread after its card

    // Nothing lost, nothing doubled: every queued row sent once, one Slack message per row.
    const rows = await h.core.db.select().from(outbox).where(eq(outbox.status, 'sent'));
    expect(rows).toHaveLength(queued.length);
    // App Home refreshes (kind `home`) are outbox rows too, sent by views.publish.
    const homes = queued.filter((r) => r.payload.kind === 'home');
    expect(h.api.ok('chat.postMessage')).toHaveLength(queued.length - homes.length);
    expect(h.api.ok('views.publish')).toHaveLength(homes.length);
  });
});
