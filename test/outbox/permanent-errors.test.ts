import { and, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox, tickets } from '../../src/db/schema.js';
import { outboxHealth } from '../../src/outbox/dead-letters.js';
import { PermanentDeliveryError, TransientDeliveryError } from '../../src/outbox/types.js';
import { type SlackHarness, startSlackHarness } from '../slack/harness.js';

/** Issue 12, defect 4, on Slack: the real Bolt app and deliverer against the fake Web API. */
const AGENT = 'UAGENT4';
const GONE = 'CGONE';
const NAME = 'Rudi Hartono';
let h: SlackHarness;

beforeAll(async () => {
  h = await startSlackHarness();
  await h.command('USPV', `peran <@${AGENT}> agent tim=a`);
  await h.deliver();
}, 60_000);
afterAll(async () => {
  await h?.close();
});

const open = (channel: string, id: string) =>
  h.command(AGENT, `buka layanan=internet id=${id} nama="${NAME}" kontak=0813${id.slice(-8)} keluhan="lambat"`, {
    channel,
  });
const ticketIn = async (channel: string) =>
  (await h.core.db.select().from(tickets).where(eq(tickets.channel, channel))).map((t) => t.number);
const dmsTo = (user: string) => h.api.ok('chat.postMessage').filter((c) => c.args.channel === `D${user}`);
const callsTo = (channel: string) => h.api.calls.filter((c) => c.args.channel === channel);

describe('defect 4 (issue 12): permanent Slack errors', () => {
  it('defect 4: channel_not_found goes dead at once and the requester is told once', async () => {
    h.api.refuse(GONE, 'channel_not_found');
    await open(GONE, '900000000041');
    const [number] = await ticketIn(GONE);
    await h.command(AGENT, `catat ${number} menunggu teknisi`, { channel: GONE });
    await h.deliver();

    // One try of the card, no retries; the thread message behind it can never land either.
    expect(callsTo(GONE).map((c) => [c.method, c.answer])).toEqual([['chat.postMessage', 'error']]);
    const rows = await h.core.db.select().from(outbox).where(eq(outbox.channel, GONE)).orderBy(outbox.id);
    expect(rows.map((r) => [r.status, r.attempts, r.lastErrorCode])).toEqual([
      ['dead', 1, 'channel_not_found'],
      ['dead', 1, 'target_not_delivered'],
    ]);
    expect(rows.every((r) => r.requestedBy === `slack:${AGENT}` && r.deadAt)).toBe(true);

    // Told once, by DM, naming the ticket and the error, and nothing of the customer.
    const told = dmsTo(AGENT);
    expect(told).toHaveLength(1);
    expect(String(told[0]?.args.text)).toContain(number);
    expect(String(told[0]?.args.text)).toContain('channel_not_found');
    expect(String(told[0]?.args.text)).not.toContain('Rudi');

    // Later passes, an hour on and another message for the same channel: no retry, no second notice.
    h.advance(3_600_000);
    await h.command(AGENT, `kabari ${number} teknisi menuju lokasi`, { channel: GONE });
    await h.deliver();
    expect(dmsTo(AGENT)).toHaveLength(1);
    expect(callsTo(GONE).filter((c) => c.method === 'chat.postMessage')).toHaveLength(1);
    const health = await outboxHealth(h.core.db, h.core.clock());
    expect(health.dead.slack).toBeGreaterThanOrEqual(3);
    expect(health.recentDead.map((d) => d.code)).toContain('channel_not_found');
    expect(JSON.stringify(health)).not.toContain(GONE); // codes and counts, no channels or text
    expect(JSON.stringify(health)).not.toContain('Rudi');
  });

  it.each(['not_in_channel', 'is_archived', 'invalid_auth', 'missing_scope'])(
    'defect 4: %s is permanent: the deliverer says so and the row is tried once',
    async (error) => {
      const channel = `CPERM${error.length}${error.slice(0, 3).toUpperCase()}`;
      h.api.refuse(channel, error);
      const refused = await h.slack.deliverer
        .post(channel, { audience: 'channel', ticket: null, error: null, text: 'tes' })
        .catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(PermanentDeliveryError);
      expect((refused as PermanentDeliveryError).code).toBe(error);

      await open(channel, `90000000${String(error.length).padStart(4, '0')}`);
      await h.deliver();
      const [card] = await h.core.db
        .select()
        .from(outbox)
        .where(and(eq(outbox.channel, channel), like(outbox.dedupeKey, 'card:%')));
      expect([card?.status, card?.attempts, card?.lastErrorCode]).toEqual(['dead', 1, error]);
    },
  );

  it('defect 4: a Slack 500 is transient: retried with backoff, delivered once Slack is back', async () => {
    h.api.outage(500);
    const failed = await h.slack.deliverer
      .post('CANY', { audience: 'channel', ticket: null, error: null, text: 'tes' })
      .catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(TransientDeliveryError);
    expect((failed as TransientDeliveryError).code).toBe('http_500');

    await open('CFLAKY', '900000000051');
    await h.deliver();
    const [card] = await h.core.db.select().from(outbox).where(eq(outbox.channel, 'CFLAKY'));
    expect([card?.status, card?.attempts, card?.lastErrorCode]).toEqual(['pending', 1, 'http_500']);
    h.api.outage(undefined);
    h.advance(1_000); // the first retry waits between half a second and a second
    await h.deliver();
    const [sent] = await h.core.db.select().from(outbox).where(eq(outbox.channel, 'CFLAKY'));
    expect(sent?.status).toBe('sent');
    expect(h.api.ok('chat.postMessage').filter((c) => c.args.channel === 'CFLAKY')).toHaveLength(1);
  });
});
