import type { Core } from '../app.js';
import type { Config } from '../config.js';
import { openCoreAtStart } from '../startup.js';
import { type DeadLetter, listDeadLetters, NotDeadLetters, requeueDeadLetters } from './dead-letters.js';

export const OUTBOX_USAGE = `usage: posko outbox dead            list dead letters (id, platform, channel, age, error code)
       posko outbox retry <id>…|--all  put dead letters back in the queue`;

interface Output {
  out(line: string): void;
  err(line: string): void;
}

const processOutput: Output = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** `npx posko outbox …`: opens the database, runs the subcommand, closes. */
export async function runOutboxCommand(config: Config, args: string[]): Promise<number> {
  if (!isOutboxSubcommand(args[0])) {
    processOutput.err(OUTBOX_USAGE);
    return 2;
  }
  const { core, close } = await openCoreAtStart({ config });
  try {
    return await runOutboxCli(core, args, processOutput);
  } finally {
    await close();
  }
}

function isOutboxSubcommand(name: string | undefined): boolean {
  return name === 'dead' || name === 'retry';
}

/**
 * The outbox subcommands on an open core. Exit codes: 0 done, 2 a wrong argument (unknown
 * subcommand, an id that is not a dead letter). Nothing printed comes from a message's payload.
 */
export async function runOutboxCli(core: Core, args: string[], output: Output = processOutput): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'dead' && rest.length === 0) {
    const dead = await listDeadLetters(core, core.clock());
    if (dead.length === 0) output.out('no dead letters');
    else for (const line of deadTable(dead)) output.out(line);
    return 0;
  }
  if (sub === 'retry') return retry(core, rest, output);
  output.err(OUTBOX_USAGE);
  return 2;
}

async function retry(core: Core, args: string[], output: Output): Promise<number> {
  const all = args.length === 1 && args[0] === '--all';
  const ids = all ? [] : args.map((a) => (/^\d+$/.test(a) ? Number(a) : Number.NaN));
  if (!all && (ids.length === 0 || ids.some((id) => !Number.isSafeInteger(id)))) {
    output.err(OUTBOX_USAGE);
    return 2;
  }
  try {
    const requeued = await requeueDeadLetters(core, all ? 'all' : ids);
    output.out(
      requeued.length === 0
        ? 'no dead letters to re-queue'
        : `re-queued ${requeued.length} dead letter(s): ${requeued.join(', ')}`,
    );
    return 0;
  } catch (err) {
    if (!(err instanceof NotDeadLetters)) throw err;
    output.err(
      `not a dead letter: ${err.ids.join(', ')} (unknown id, or pending or sent); see \`posko outbox dead\`. Nothing was re-queued.`,
    );
    return 2;
  }
}

function deadTable(dead: DeadLetter[]): string[] {
  const rows = [
    ['id', 'platform', 'channel', 'age', 'error'],
    ...dead.map((d) => [String(d.id), d.platform, d.channel, age(d.ageMs), d.code ?? '-']),
  ];
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => r[col]!.length)));
  return rows.map((r) =>
    r
      .map((cell, col) => cell.padEnd(widths[col]!))
      .join('  ')
      .trimEnd(),
  );
}

/** `45s`, `12m`, `3h05m`, `2d04h`: enough to tell today's failure from last week's. */
export function age(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d${String(h % 24).padStart(2, '0')}h`;
}
