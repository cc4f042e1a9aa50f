/**
 * `npx posko discord register`: puts `/tiket` (every subcommand of the registry) on Discord —
 * in DISCORD_GUILD_ID when set (instant, for a team's server), else globally — and prints what
 * it registered. A bulk overwrite, so running it again after a change is the whole upgrade.
 */
import { REST, Routes } from 'discord.js';
import type { Config } from '../../config.js';
import { buildRegistrationPayload, type RegisteredCommand } from './registration.js';

export interface RegisterResult {
  scope: 'guild' | 'global';
  applicationId: string;
  guildId?: string;
  commands: RegisteredCommand[];
}

export async function registerCommands(config: Config): Promise<RegisterResult> {
  if (!config.DISCORD_TOKEN) throw new Error('DISCORD_TOKEN is not set');
  const rest = new REST(config.DISCORD_API_URL ? { api: config.DISCORD_API_URL } : {}).setToken(config.DISCORD_TOKEN);
  const applicationId =
    config.DISCORD_APPLICATION_ID ?? ((await rest.get(Routes.currentApplication())) as { id: string }).id;
  const payload = buildRegistrationPayload(undefined, config.POSKO_LOCALE);
  const guildId = config.DISCORD_GUILD_ID;
  const route = guildId
    ? Routes.applicationGuildCommands(applicationId, guildId)
    : Routes.applicationCommands(applicationId);
  const commands = (await rest.put(route, { body: payload })) as RegisteredCommand[];
  return { scope: guildId ? 'guild' : 'global', applicationId, ...(guildId ? { guildId } : {}), commands };
}

/** One line per subcommand with its options (`*` = required), so an operator sees the surface. */
export function describeRegistration(r: RegisterResult): string {
  const where = r.scope === 'guild' ? `guild ${r.guildId}` : 'global (may take up to an hour to appear)';
  const lines = [`registered for application ${r.applicationId}, ${where}:`];
  for (const command of r.commands) {
    for (const sub of command.options) {
      const opts = (sub.options ?? []).map((o) => `${o.name}${o.required ? '*' : ''}`).join(' ');
      lines.push(`  /${command.name} ${sub.name}${opts ? ` ${opts}` : ''}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export async function runDiscordRegisterCli(config: Config, _args: string[]): Promise<number> {
  if (!config.DISCORD_TOKEN) {
    process.stderr.write('posko: DISCORD_TOKEN: required to register the slash command\n');
    return 2;
  }
  const result = await registerCommands(config);
  process.stdout.write(describeRegistration(result));
  return 0;
}
