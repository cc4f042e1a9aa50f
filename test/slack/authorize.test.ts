import { afterAll, beforeAll, expect, it } from 'vitest';
import { type SlackHarness, startSlackHarness } from './harness.js';

/** Who the bot is (auth.test) is asked on first use, once, however many requests arrive together. */
let h: SlackHarness;

beforeAll(async () => {
  h = await startSlackHarness();
}, 60_000);
afterAll(async () => {
  await h?.close();
});

it('a burst of commands on a cold start shares one auth.test, and every command is answered', async () => {
  const answers = await Promise.all(Array.from({ length: 12 }, () => h.command('USPV', 'bantuan')));
  expect(answers.map((a) => a.status)).toEqual(Array(12).fill(200));
  expect(h.api.calls.filter((c) => c.method === 'auth.test')).toHaveLength(1);
  for (const a of answers) expect(a.responses.length).toBeGreaterThan(0);
});
