import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { POSKO_CLI, poskoEnv, ROOT } from '../helpers/posko-process.js';

/** One JSON line of `posko start --json` (⚓ DESIGN §4). */
export interface ConsoleLine {
  audience: 'ephemeral' | 'channel' | 'thread';
  ticket: string | null;
  error: string | null;
  text: string;
  line: number | null;
}

/**
 * The real `posko start --json` in a child process with stdin kept open, so a test can type a
 * line, wait for its answer, do something to the world, and type the next one.
 */
export class ConsoleProcess {
  readonly lines: ConsoleLine[] = [];
  stderr = '';
  private readonly child: ChildProcessWithoutNullStreams;
  private sent = 0;
  private buffer = '';
  private waiters: (() => void)[] = [];
  readonly exited: Promise<number | null>;

  constructor(env: Record<string, string>) {
    this.child = spawn(process.execPath, [...POSKO_CLI, 'start', '--json'], {
      cwd: ROOT,
      env: poskoEnv(env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stdout.on('data', (d: Buffer) => {
      this.buffer += d.toString();
      let nl = this.buffer.indexOf('\n');
      while (nl >= 0) {
        const text = this.buffer.slice(0, nl);
        this.buffer = this.buffer.slice(nl + 1);
        if (text.trim()) this.lines.push(JSON.parse(text) as ConsoleLine);
        nl = this.buffer.indexOf('\n');
      }
      this.wake();
    });
    this.child.stderr.on('data', (d: Buffer) => {
      this.stderr += d.toString();
    });
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
    void this.exited.then(() => this.wake());
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Types one line; resolves with its direct answer (the ephemeral reply carrying its line number). */
  type(text: string): Promise<ConsoleLine> {
    this.sent += 1;
    const n = this.sent;
    this.child.stdin.write(`${text}\n`);
    return this.until(
      () => this.lines.find((l) => l.line === n && l.audience === 'ephemeral'),
      `an answer to line ${n} (${text.split(' ')[0]})`,
    );
  }

  /** Closes stdin (end of the script) and waits for the process to exit. */
  async end(): Promise<number | null> {
    this.child.stdin.end();
    return this.exited;
  }

  kill(): void {
    if (this.alive) this.child.kill('SIGKILL');
  }

  private until<T>(found: () => T | undefined, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const hit = found();
        if (hit !== undefined) return resolve(hit);
        if (!this.alive) return reject(new Error(`posko exited before ${what}:\n${this.stderr}`));
        this.waiters.push(check);
      };
      check();
    });
  }

  private wake(): void {
    const pending = this.waiters;
    this.waiters = [];
    for (const w of pending) w();
  }
}
