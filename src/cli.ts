import { createCore } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { keepHeapNearLive } from './heap.js';
import { serializeError } from './log-safety.js';

const USAGE = `usage: posko <command>
  start [--json]      run posko (Slack/Discord when configured, else the console)
  migrate             apply database migrations and exit
  job <name>          run one scheduled job now and exit
  discord register    register the /tiket slash command on Discord
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
    else {
      // Not through the logger, but kept as safe as a log line: no query parameters, data masked.
      const safe = serializeError(err);
      process.stderr.write(`posko: ${safe.stack ?? safe.message}\n`);
    }
    process.exitCode = err instanceof ConfigError ? 2 : 1;
  },
);
