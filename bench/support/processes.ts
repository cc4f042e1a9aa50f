import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { poskoEnv, ROOT } from '../../test/helpers/posko-process.js';

// The root, posko's environment with the caller's settings blanked, and free ports are the tests' own.
export { freePort, ROOT } from '../../test/helpers/posko-process.js';

/**
 * The node flags posko runs with, read from bin/posko.js's shebang: `npx posko` and `npm start`
 * pass them, and `node bin/posko.js` would not (B5 measured 290 MB after B1 without the heap flag,
 * 154 MB with it).
 */
export const POSKO_NODE_FLAGS: string[] =
  readFileSync(`${ROOT}/bin/posko.js`, 'utf8')
    .split('\n')[0]
    ?.match(/\bnode((?: --[\w-]+(?:=\S+)?)*)\s*$/)?.[1]
    ?.trim()
    .split(/\s+/)
    .filter(Boolean) ?? [];

/**
 * `npx posko …` as one process with the flags its shebang gives node, so the child's pid is
 * posko's own (its memory is what /proc reports for that pid, not a wrapper's).
 */
export function spawnPosko(args: string[], env: Record<string, string>, extraNodeArgs: string[] = []): ChildProcess {
  return spawn(process.execPath, [...POSKO_NODE_FLAGS, ...extraNodeArgs, 'bin/posko.js', ...args], {
    cwd: ROOT,
    env: poskoEnv(env),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** A TypeScript helper of the benchmarks in its own process, with an IPC channel to it. */
export function spawnTs(file: string, env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', file], {
    cwd: ROOT,
    env: poskoEnv(env),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

/** The last few kilobytes a child wrote to a stream, to explain a failure. */
export function tail(stream: NodeJS.ReadableStream | null, keep = 4000): () => string {
  let text = '';
  stream?.on('data', (chunk: Buffer) => {
    text = (text + chunk.toString()).slice(-keep);
  });
  return () => text;
}

/** Polls `GET url` until it answers 200; rejects when the child exits first or time runs out. */
export async function waitForOk(url: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`process exited with ${child.exitCode} before ${url} answered`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
}

/** Resolves with the first message from a child's IPC channel that `match` accepts. */
export function nextMessage<T>(child: ChildProcess, match: (m: unknown) => m is T, timeoutMs = 60_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error('no answer from child process')), timeoutMs);
    const onMessage = (m: unknown) => {
      if (match(m)) done(undefined, m);
    };
    const onExit = (code: number | null) => done(new Error(`child exited with ${code}`));
    const done = (err?: Error, m?: T) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolve(m as T);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** SIGTERM, then wait for the exit (SIGKILL after `graceMs`). */
export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export interface Memory {
  /** Resident set size now, MB. */
  rssMb: number;
  /** Peak resident set size since the process started, MB. */
  peakMb: number;
}

/** VmRSS and VmHWM of a live process, from /proc/<pid>/status (Linux). */
export function processMemory(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}
