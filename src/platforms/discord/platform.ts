import type { PlatformModule } from '../types.js';

/**
 * Discord for `npm start`: on when DISCORD_TOKEN is set. discord.js is loaded only then — it adds
 * tens of MB to a process that runs Slack or the console alone.
 */
export const discordPlatform: PlatformModule = {
  name: 'discord',
  enabled: (config) => Boolean(config.DISCORD_TOKEN),
  async start(core) {
    const { createDiscordBot } = await import('./bot.js');
    const bot = createDiscordBot(core);
    await bot.start();
    return { deliverer: bot.deliverer, stop: () => bot.stop() };
  },
};
