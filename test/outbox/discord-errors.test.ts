import { DiscordAPIError, HTTPError } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermanentDeliveryError, TransientDeliveryError } from '../../src/outbox/types.js';
import { classifyDiscordError } from '../../src/platforms/discord/deliverer.js';
import { type DiscordHarness, startDiscordHarness } from '../discord/harness.js';

/** Issue 12, defect 4, on Discord: which REST answers are permanent, which are worth a retry. */
const apiError = (code: number, status: number, message: string) =>
  new DiscordAPIError({ code, message }, code, status, 'POST', 'https://discord.test/api/v10/channels/1/messages', {});

let h: DiscordHarness;
beforeAll(async () => {
  h = await startDiscordHarness();
}, 60_000);
afterAll(async () => {
  await h?.close();
});

describe('defect 4 (issue 12): Discord errors', () => {
  it.each([
    [50001, 403, 'Missing Access', 'missing_access'],
    [50013, 403, 'Missing Permissions', 'missing_permissions'],
    [10003, 404, 'Unknown Channel', 'unknown_channel'],
    [50007, 403, 'Cannot send messages to this user', 'cannot_dm_user'],
    [0, 403, '403: Forbidden', 'discord_403'],
  ])('defect 4: Discord %i (HTTP %i %s) is permanent: %s', (code, status, message, stored) => {
    const classified = classifyDiscordError(apiError(code, status, message));
    expect(classified).toBeInstanceOf(PermanentDeliveryError);
    expect((classified as PermanentDeliveryError).code).toBe(stored);
  });

  it('defect 4: Discord 5xx answers are transient', () => {
    const api = classifyDiscordError(apiError(0, 502, 'Bad Gateway'));
    expect(api).toBeInstanceOf(TransientDeliveryError);
    expect((api as TransientDeliveryError).code).toBe('http_502');
    const http = classifyDiscordError(new HTTPError(503, 'Service Unavailable', 'POST', 'https://discord.test/', {}));
    expect(http).toBeInstanceOf(TransientDeliveryError);
    expect((http as TransientDeliveryError).code).toBe('http_503');
  });

  it('defect 4: a post to a channel Discord does not know fails permanently through the real deliverer', async () => {
    const refused = await h.bot.deliverer
      .post('999999999999999999', { audience: 'channel', ticket: null, error: null, text: 'tes' })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PermanentDeliveryError);
    expect((refused as PermanentDeliveryError).code).toBe('unknown_channel');
  });
});
