import { parseArgs } from 'node:util';
import { isMonitaTicketId } from './feed.js';
import { startMonitaMock } from './mock.js';

const USAGE = `usage: posko monita-mock [--port N] [--host H] [--seed S] [--speed X] [--ticket IN…]…
  --port    port to listen on (default 8090; 0 picks a free one)
  --host    address to bind (default 127.0.0.1)
  --seed    seed of the fault stories (default 1): same seed, same stages
  --speed   clock multiplier (default 1; 60 = a minute of progress per second)
  --ticket  a fault ticket that already exists (repeatable), for agents to link with monita=IN…`;

/**
 * `npx posko monita-mock`: serve the mock MONITA feed on its own until SIGINT/SIGTERM.
 * Resolves with the exit code (2 on bad arguments) once the server is closed.
 */
export async function runMonitaMockCli(
  argv: string[],
  io: { out: (line: string) => void; err: (line: string) => void } = {
    out: (l) => process.stdout.write(`${l}\n`),
    err: (l) => process.stderr.write(`${l}\n`),
  },
  signals: NodeJS.EventEmitter = process,
): Promise<number> {
  let values: { port?: string; host?: string; seed?: string; speed?: string; ticket?: string[]; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        seed: { type: 'string' },
        speed: { type: 'string' },
        ticket: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (err) {
    io.err(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const port = Number(values.port ?? '8090');
  const speed = Number(values.speed ?? '1');
  if (!Number.isInteger(port) || port < 0 || port > 65535) return bad(io, '--port: a port number 0–65535');
  if (!Number.isFinite(speed) || speed <= 0) return bad(io, '--speed: a number above 0, such as 1 or 60');
  const tickets = values.ticket ?? [];
  const wrong = tickets.find((t) => !isMonitaTicketId(t));
  if (wrong) return bad(io, `--ticket: ${wrong} is not a MONITA id (IN and 4–15 digits)`);

  let mock: Awaited<ReturnType<typeof startMonitaMock>>;
  try {
    mock = await startMonitaMock({
      port,
      host: values.host,
      seed: values.seed ?? '1',
      speed,
      preexisting: tickets.map((ticketId) => ({ ticketId })),
    });
  } catch (err) {
    io.err(`monita-mock: cannot listen on port ${port}: ${(err as Error).message}`);
    return 1;
  }
  io.out(`MONITA mock listening on ${mock.url} (seed ${values.seed ?? '1'}, speed ${speed})`);
  io.out(`posko: set MONITA_URL=${mock.url}`);

  await new Promise<void>((resolve) => {
    const stop = () => {
      signals.off('SIGINT', stop);
      signals.off('SIGTERM', stop);
      resolve();
    };
    signals.on('SIGINT', stop);
    signals.on('SIGTERM', stop);
  });
  await mock.close();
  return 0;
}

function bad(io: { err: (line: string) => void }, message: string): number {
  io.err(`${message}\n${USAGE}`);
  return 2;
}
