import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { configSchema } from '../../src/config.js';
import { TEST_DATA_KEY } from './data-key.js';

/** The repository root: posko processes run there, as `npm start` would. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * `node <POSKO_CLI> start`: the CLI from source through tsx, so a test never runs a stale
 * dist/ (`npm start` and bin/posko.js run the compiled one; test/ops/build.test.ts covers that).
 */
export const POSKO_CLI = ['--import', 'tsx', 'src/cli.ts'];

/**
 * The caller's environment with every setting posko reads blanked (an empty value counts as
 * unset, and a developer's `.env` cannot fill it in), then `env`: a child sees only what its test
 * gives it, never the developer's own Slack, Discord or database.
 */
export function poskoEnv(env: Record<string, string> = {}): NodeJS.ProcessEnv {
  const blank = Object.fromEntries(Object.keys(configSchema.shape).map((key) => [key, '']));
  // PORT 0: parallel test files each get a free port for posko's HTTP server.
  return { ...process.env, ...blank, PORT: '0', POSKO_DATA_KEY: TEST_DATA_KEY, ...env };
}

/** A free TCP port on 127.0.0.1 (free now; the child binds it a moment later). */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface PoskoProcess {
  child: ChildProcess;
  /** Everything the process wrote so far, stdout and stderr (its logs go to stderr). */
  output(): string;
  /** SIGTERM and wait for the exit code (at once if it has already exited). */
  stop(): Promise<number | null>;
}

/** The real `posko start` (one process) with `env`; resolves once it logs "posko ready". */
export async function startPoskoProcess(env: Record<string, string>): Promise<PoskoProcess> {
  const child = spawn(process.execPath, [...POSKO_CLI, 'start'], {
    cwd: ROOT,
    env: poskoEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    const capture = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('posko ready')) resolve();
    };
    child.stdout?.on('data', capture);
    child.stderr?.on('data', capture);
    child.once('exit', (code) => reject(new Error(`posko exited with ${code}:\n${output}`)));
  });
  await ready;
  return {
    child,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const [code] = await exited;
      return code as number | null;
    },
  };
}

/**
 * The real `posko start --json` fed `script` on stdin, as a person or a script would: its
 * JSON lines (⚓ DESIGN §4, one reply each), exit code and stderr (its logs). `umask` starts it
 * under that mask, as a shell would set it.
 */
export function runConsoleScript<Line = Record<string, unknown>>(
  script: string[],
  env: Record<string, string> = {},
  opts: { umask?: string } = {},
): Promise<{ lines: Line[]; code: number | null; stderr: string }> {
  const argv = [process.execPath, ...POSKO_CLI, 'start', '--json'];
  const [command, ...args] = opts.umask
    ? ['sh', '-c', `umask ${opts.umask}; exec ${argv.map((a) => `'${a}'`).join(' ')}`]
    : argv;
  const child = spawn(command as string, args, {
    cwd: ROOT,
    env: poskoEnv(env),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  child.stdin.end(`${script.join('\n')}\n`);
  return new Promise((resolve) => {
    child.on('close', (code) => {
      const lines = stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Line);
      resolve({ lines, code, stderr });
    });
  });
}
