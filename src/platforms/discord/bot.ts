/**
 * posko on Discord: a discord.js 14 Client on the gateway with the one intent it needs (Guilds:
 * interactions arrive regardless; no message content, no members), REST at `DISCORD_API_URL`
 * when set (the gateway address then comes from that API's `/gateway/bot`), and the outbox
 * deliverer sharing the same REST client and rate-limit state.
 */
import { Client, Events, GatewayIntentBits, Partials } from 'discord.js';
import type { Core } from '../../app.js';
import type { Deliverer } from '../../outbox/types.js';
import { createDiscordDeliverer, rejectOutboxRateLimits } from './deliverer.js';
import { handleInteraction } from './interactions.js';

export interface DiscordBotOptions {
  token?: string;
  /** REST base URL (tests: the local fake); default Discord's. */
  apiUrl?: string;
}

export interface DiscordBot {
  client: Client;
  deliverer: Deliverer;
  /** Logs in and resolves once the client is ready (guilds received). */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Resolves when every interaction received so far has been answered. */
  idle(): Promise<void>;
}

export function createDiscordBot(core: Core, opts: DiscordBotOptions = {}): DiscordBot {
  const token = opts.token ?? core.config.DISCORD_TOKEN;
  if (!token) throw new Error('DISCORD_TOKEN is not set');
  const apiUrl = opts.apiUrl ?? core.config.DISCORD_API_URL;
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    // An interaction from a thread the cache has not seen (archived, or before a restart) still
    // tells us its parent channel: let discord.js build the channel from the interaction itself.
    partials: [Partials.Channel],
    rest: { ...(apiUrl ? { api: apiUrl } : {}), rejectOnRateLimit: rejectOutboxRateLimits },
    // Belt and braces: nothing discord.js sends may ping a crowd, even if a body forgot it.
    allowedMentions: { parse: [], repliedUser: false },
  });
  const inFlight = new Set<Promise<void>>();

  client.on(Events.InteractionCreate, (interaction) => {
    const work = handleInteraction(core, interaction).finally(() => inFlight.delete(work));
    inFlight.add(work);
  });
  client.on(Events.Error, (err) => core.log.error({ err }, 'discord client error'));
  client.on(Events.ShardDisconnect, (event, shard) =>
    core.log.warn({ code: event.code, shard }, 'discord disconnected'),
  );

  return {
    client,
    deliverer: createDiscordDeliverer(client.rest),
    async start() {
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      await client.login(token);
      await ready;
      core.log.info({ user: client.user?.tag, guilds: client.guilds.cache.size }, 'discord ready');
    },
    async stop() {
      await Promise.allSettled([...inFlight]);
      await client.destroy();
    },
    async idle() {
      while (inFlight.size) await Promise.allSettled([...inFlight]);
    },
  };
}
