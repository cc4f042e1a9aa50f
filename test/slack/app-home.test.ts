import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOME_WINDOW_MS } from '../../src/services/my-queue.js';
import { type SlackHarness, startSlackHarness } from './harness.js';

/**
 * Issue 16.2 on Slack: the App Home tab is the `saya` list, published when opened and kept
 * current after changes, with publishes coalesced per person (Slack rate-limits views.publish).
 */
const AGENT = 'UHOMEAGENT';
const TL = 'UHOMETL';
const SPV = 'USPV';

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness();
  await h.command(SPV, `peran <@${AGENT}|dewi> agent tim=a`);
  await h.command(SPV, `peran <@${TL}|budi> tl tim=a`);
}, 60_000);
afterAll(async () => {
  await h?.close();
});

const publishesTo = (user: string) => h.api.ok('views.publish').filter((c) => c.args.user_id === user);
const homeText = (user: string) => JSON.stringify(h.api.homes.get(user) ?? {});
const ok = async (user: string, line: string) => {
  const r = await h.command(user, line);
  expect(r.responses[0]?.body.text, line).not.toMatch(/:warning:|tidak|refused/i);
  return String(r.responses[0]?.body.text);
};
const openLine = (n: number) =>
  `buka layanan=indihome id=1221000${String(n).padStart(5, '0')} nama="Sri Wahyuni" kontak=081234567890 keluhan="internet mati"`;

describe('App Home: the queue as the Home tab', () => {
  it('app_home_opened publishes the person’s queue, masked', async () => {
    await ok(AGENT, openLine(1));
    await h.homeOpened(AGENT, 'EvHome1');
    const [published] = publishesTo(AGENT);
    expect(published?.args.view).toMatchObject({ type: 'home' });
    const text = homeText(AGENT);
    expect(text).toContain('GGN-000001');
    expect(text).toContain('Sri W.');
    expect(text).not.toContain('Wahyuni');
    expect(text).toContain('Antrian saya (1)');
    // The same event delivered again (Slack retries) publishes nothing more.
    await h.homeOpened(AGENT, 'EvHome1');
    expect(publishesTo(AGENT)).toHaveLength(1);
  });

  it('a burst of 50 changes for one person gives at most a few publishes, and the last one is current', async () => {
    await h.deliver();
    const before = publishesTo(AGENT).length;
    const numbers: string[] = [];
    // 50 changes over 10 s of the clock, the outbox worker running after each one.
    for (let i = 0; i < 50; i++) {
      if (i % 10 === 0) numbers.push(/GGN-\d+/.exec(await ok(AGENT, openLine(100 + i)))?.[0] ?? '');
      else await ok(AGENT, `catat ${numbers.at(-1)} cek ${i}`);
      h.advance(200);
      await h.deliver();
    }
    const last = numbers.at(-1) ?? '';
    await ok(AGENT, `konfirmasi ${last} hasil=ok puas=5`);
    h.advance(HOME_WINDOW_MS + 2_000);
    await h.deliver();
    const burst = publishesTo(AGENT).length - before;
    expect(burst).toBeGreaterThanOrEqual(1);
    expect(burst).toBeLessThanOrEqual(4);
    // The last publish shows the state after the last change: six tickets, the confirmed one to close.
    const text = homeText(AGENT);
    expect(text).toContain('Antrian saya (6)');
    expect(text).toMatch(new RegExp(`${last}[^"]*tutup \\(tawarkan bantuan lain\\)`));
    for (const n of numbers) expect(text).toContain(n);
  });

  it('an escalation refreshes the team leader’s Home with it to decide; the decision takes it off', async () => {
    const n = /GGN-\d+/.exec(await ok(AGENT, openLine(900)))?.[0] ?? '';
    await ok(AGENT, `eskalasi ${n} perlu teknisi senior`);
    h.advance(HOME_WINDOW_MS + 2_000);
    await h.deliver();
    expect(homeText(TL)).toMatch(new RegExp(`${n}[^"]*setujui/tolak`));
    await ok(TL, `setujui ${n}`);
    h.advance(HOME_WINDOW_MS + 2_000);
    await h.deliver();
    expect(homeText(TL)).not.toContain(n);
  });
});
