import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMonitaClient, type MonitaLog, MonitaUnavailable } from '../../src/monita/client.js';
import { type FakeFeed, feedItem, startFakeFeed } from '../fakes/monita-feed.js';

let feed: FakeFeed;
const warnings: { obj: object; msg?: string }[] = [];
const log: MonitaLog = { warn: (obj, msg) => warnings.push({ obj, msg }), debug() {} };

beforeAll(async () => {
  feed = await startFakeFeed();
});
afterAll(async () => {
  await feed.close();
});
beforeEach(() => {
  feed.log.length = 0;
  feed.requests.length = 0;
  warnings.length = 0;
});

const client = () => createMonitaClient({ baseUrl: feed.url, timeoutMs: 2000, log });

describe('MONITA client against a misbehaving feed', () => {
  it('§5 a malformed item is skipped with a log line; the valid ones of the page still come', async () => {
    feed.log.push(
      feedItem('u1', 'IN100000001', 'ASSIGNED'),
      feedItem('u2', 'IN100000001', 'TELEPORTED'),
      { id: 'u3', ticketId: 'IN100000001' },
      'not even an object',
      null,
      feedItem('u4', 'IN100000001', 'ON_SITE', { updatedAt: 'kemarin sore' }),
      feedItem('u5', 'IN100000001', 'ON_THE_WAY'),
    );
    const page = await client().fetchUpdates(null, 50);
    expect(page.updates.map((u) => u.id)).toEqual(['u1', 'u5']);
    expect(page).toMatchObject({ skipped: 5, received: 7, nextCursor: 'c7' });
    expect(warnings).toHaveLength(5);
    expect(warnings[0]!.obj).toMatchObject({ monitaUpdateId: 'u2' });
  });

  it('§5 repeated and out-of-order items are passed through as sent (the poll job decides)', async () => {
    feed.log.push(
      feedItem('u1', 'IN1000001', 'ON_SITE', { updatedAt: '2026-03-02T02:00:00Z' }),
      feedItem('u0', 'IN1000001', 'ASSIGNED', { updatedAt: '2026-03-02T01:00:00+07:00' }),
      feedItem('u1', 'IN1000001', 'ON_SITE', { updatedAt: '2026-03-02T02:00:00Z' }),
    );
    const page = await client().fetchUpdates(null, 50);
    expect(page.updates.map((u) => u.id)).toEqual(['u1', 'u0', 'u1']);
  });

  it('the cursor is sent as since, and the limit bounds the page', async () => {
    for (let i = 0; i < 5; i++) feed.log.push(feedItem(`u${i}`, 'IN1000001', 'REPAIRING'));
    const first = await client().fetchUpdates(null, 2);
    const second = await client().fetchUpdates(first.nextCursor, 2);
    expect(second.updates.map((u) => u.id)).toEqual(['u2', 'u3']);
    expect(feed.requests).toEqual([null, 'c2']);
  });

  it.each([
    ['an HTTP 500', { kind: 'status', status: 500 }],
    ['an HTTP 503', { kind: 'status', status: 503 }],
    ['a 404 for the feed itself', { kind: 'status', status: 404 }],
    ['a body that is not JSON', { kind: 'garbage' }],
    ['JSON without the page envelope', { kind: 'body', body: { data: [] } }],
    ['updates that are not a list', { kind: 'body', body: { updates: 'many', nextCursor: null } }],
    ['a feed that does not answer in time', { kind: 'hang' }],
  ] as const)('§5 %s raises MonitaUnavailable, and the next call works', async (_name, failure) => {
    feed.log.push(feedItem('u1', 'IN1000001', 'ASSIGNED'));
    feed.fail(failure);
    await expect(client().fetchUpdates(null, 50)).rejects.toBeInstanceOf(MonitaUnavailable);
    const page = await client().fetchUpdates(null, 50);
    expect(page.updates.map((u) => u.id)).toEqual(['u1']);
  });

  it('a feed that is not there at all raises MonitaUnavailable', async () => {
    const gone = createMonitaClient({ baseUrl: 'http://127.0.0.1:1', timeoutMs: 2000 });
    await expect(gone.fetchUpdates(null, 10)).rejects.toBeInstanceOf(MonitaUnavailable);
  });

  it('getTicket: validated state, null when unknown; createTicket returns the id', async () => {
    feed.tickets.set('IN1000001', {
      ticketId: 'IN1000001',
      status: 'ON_SITE',
      stage: 'Tiba',
      updatedAt: '2026-03-02T01:00:00Z',
    });
    feed.tickets.set('IN1000002', { ticketId: 'IN1000002', status: '??' });
    expect(await client().getTicket('IN1000001')).toMatchObject({ status: 'ON_SITE' });
    expect(await client().getTicket('IN9999999')).toBeNull();
    await expect(client().getTicket('IN1000002')).rejects.toBeInstanceOf(MonitaUnavailable);
    const id = await client().createTicket({ customerId: '122123456789', service: 'indihome', symptom: 'LOS' });
    expect(id).toMatch(/^IN\d+$/);
  });
});
