import { createCore } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { keepHeapNearLive } from './heap.js';

const USAGE = `usage: posko <command>
  start [--json]      run posko (Slack/Discord when configured, else the console)
  migrate             apply database migrations and exit
  job <name>          run one scheduled job now and exit
  discord register    register the /tiket slash command on Discord
  outbox dead         list messages given up (dead letters)
  outbox retry <id>|--all
                      put dead letters back in the queue (several ids allowed)
  monita-mock [...]   serve the mock MONITA feed on its own`;

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
  const config = loadConfig();
  switch (command) {
    case 'start': {
      keepHeapNearLive();
      const { start } = await import('./start.js');
      await start(config, { json: rest.includes('--json') });
      return 0;
    }
    case 'migrate': {
      const { close } = await createCore({ config });
      await close();
      process.stderr.write('migrations applied\n');
      return 0;
    }
    case 'job': {
      const { runJobCli } = await import('./jobs/cli.js');
      return runJobCli(config, rest);
    }
    case 'outbox': {
      const { runOutboxCommand } = await import('./outbox/cli.js');
      return runOutboxCommand(config, rest);
    }
    case 'discord': {
      if (rest[0] !== 'register') break;
      const { runDiscordRegisterCli } = await import('./platforms/discord/register-cli.js');
      return runDiscordRegisterCli(config, rest.slice(1));
    }
  }
  process.stderr.write(`unknown command: ${argv.join(' ')}\n${USAGE}\n`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    // A wrong setting stops start with one line naming the variable.
    if (err instanceof ConfigError) process.stderr.write(`posko: ${err.message}\n`);
    else process.stderr.write(`posko: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = err instanceof ConfigError ? 2 : 1;
  },
);
