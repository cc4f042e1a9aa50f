import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.js';
import { serializeError } from './log-safety.js';
import { openCoreAtStart, StartupError } from './startup.js';

const USAGE = `usage: posko <command>
  start [--json]      run posko (Slack/Discord when configured, else the console)
  migrate             apply database migrations and exit
  rotate-key          re-seal every row under POSKO_DATA_KEY (old keys in POSKO_DATA_KEY_PREVIOUS)
  job <name>          run one scheduled job now and exit
  discord register    register the /tiket slash command on Discord
  outbox dead         list messages given up (dead letters)
  outbox retry <id>|--all
                      put dead letters back in the queue (several ids allowed)
  monita-mock [...]   serve the mock MONITA feed on its own`;

const COMMANDS = [
  'start',
  'migrate',
  'rotate-key',
  'job',
  'outbox dead',
  'outbox retry',
  'discord register',
  'monita-mock',
  'help',
];

/** Refused use of the command line: one line naming what was wrong and what is valid (exit 2). */
class UsageError extends Error {}

/** The flags a command takes (`strict`: anything else is refused with the list of these). */
function flags(args: string[], allowed: Record<string, { type: 'boolean' }>, positionals = 0) {
  const valid = Object.keys(allowed).map((f) => `--${f}`);
  const known = valid.length ? `; valid: ${valid.join(', ')}` : '; it takes none';
  try {
    const parsed = parseArgs({ args, options: allowed, strict: true, allowPositionals: positionals > 0 });
    const extra = parsed.positionals.slice(positionals);
    if (extra.length) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);
    return parsed;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const flag = /'([^']+)'/.exec((err as Error).message)?.[1] ?? args.join(' ');
    throw new UsageError(`unknown option ${flag}${known}`);
  }
}

async function main(argv: string[]): Promise<number> {
  const [command = 'start', ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (command === 'monita-mock') {
    const { runMonitaMockCli } = await import('./monita/cli.js');
    return runMonitaMockCli(rest);
  }
  switch (command) {
    case 'start': {
      const { values } = flags(rest, { json: { type: 'boolean' } });
      const config = loadConfig();
      const { start } = await import('./start.js');
      await start(config, { json: values.json === true });
      return 0;
    }
    case 'migrate': {
      flags(rest, {});
      const { close } = await openCoreAtStart({ config: loadConfig() });
      await close();
      process.stderr.write('migrations applied\n');
      return 0;
    }
    case 'rotate-key': {
      flags(rest, {});
      const { rotateKey } = await import('./crypto/rotate.js');
      const { core, close } = await openCoreAtStart({ config: loadConfig() });
      try {
        const r = await rotateKey(core.db);
        process.stderr.write(`rotate-key: ${r.resealed} of ${r.scanned} tickets re-sealed under key ${r.keyId}\n`);
      } finally {
        await close();
      }
      return 0;
    }
    case 'job': {
      const { positionals } = flags(rest, {}, 1);
      const { findJob, jobNames } = await import('./jobs/registry.js');
      const name = positionals[0];
      if (!name || !findJob(name))
        throw new UsageError(`${name ? `unknown job "${name}"` : 'which job?'}; jobs: ${jobNames().join(', ')}`);
      const { runJobCli } = await import('./jobs/cli.js');
      return runJobCli(loadConfig(), [name]);
    }
    case 'outbox': {
      const { runOutboxCommand } = await import('./outbox/cli.js');
      return runOutboxCommand(loadConfig(), rest);
    }
    case 'discord': {
      if (rest[0] !== 'register') throw new UsageError(`unknown command "discord ${rest[0] ?? ''}"; discord register`);
      flags(rest.slice(1), {});
      const { runDiscordRegisterCli } = await import('./platforms/discord/register-cli.js');
      return runDiscordRegisterCli(loadConfig(), []);
    }
  }
  throw new UsageError(`unknown command "${command}"; commands: ${COMMANDS.join(', ')}`);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    // What the operator fixes (a setting, the command line, the database's address) is one line
    // per problem and exit 2; anything else is a bug and keeps its stack.
    if (err instanceof ConfigError || err instanceof StartupError || err instanceof UsageError) {
      process.stderr.write(`${err.message.replace(/^/gm, 'posko: ')}\n`);
      process.exitCode = 2;
      return;
    }
    // Not through the logger, but kept as safe as a log line: no query parameters, data masked.
    const safe = serializeError(err);
    process.stderr.write(`posko: ${safe.stack ?? safe.message}\n`);
    process.exitCode = 1;
  },
);
