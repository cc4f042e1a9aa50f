import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../helpers/posko-process.js';

/**
 * A PostgreSQL cluster of the drill's own, so it can be stopped and started without touching the
 * shared server on 5432 that other tests use. Runs as user `postgres` (initdb refuses root).
 */
export interface PrivateCluster {
  url: string;
  port: number;
  /** `immediate` drops every connection at once, in the middle of whatever it was doing. */
  stop(mode?: 'immediate' | 'fast'): void;
  start(): void;
  /** Stops the server if it runs and removes its files. */
  remove(): void;
}

/** The newest installed PostgreSQL's bin directory, or undefined when none is installed. */
export function postgresBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(path.join(root, v, 'bin', 'initdb')) && existsSync(path.join(root, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(root, versions[0], 'bin') : undefined;
}

/** True when this process may run the cluster as `postgres` (root with runuser, as in CI). */
export function canRunPrivateCluster(): boolean {
  if (!postgresBin() || process.getuid?.() !== 0) return false;
  try {
    execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' });
    return existsSync('/usr/sbin/runuser') || existsSync('/sbin/runuser') || existsSync('/usr/bin/runuser');
  } catch {
    return false;
  }
}

export async function startPrivateCluster(): Promise<PrivateCluster> {
  const bin = postgresBin();
  if (!bin) throw new Error('no PostgreSQL binaries under /usr/lib/postgresql');
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  const dir = mkdtempSync(path.join(tmpdir(), 'posko-drill-pg-'));
  chownSync(dir, uid, gid);
  const data = path.join(dir, 'data');
  const port = await freePort();
  const asPostgres = (cmd: string, args: string[]) =>
    execFileSync('runuser', ['-u', 'postgres', '--', path.join(bin, cmd), ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 60_000,
    });
  asPostgres('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
  // fsync=off: speed, and an immediate stop (a crash of the server, not of the machine) loses nothing.
  // synchronous_commit stays on: an acknowledged commit must survive the drill's crash.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`;
  const start = () =>
    asPostgres('pg_ctl', ['start', '-w', '-t', '30', '-D', data, '-l', path.join(dir, 'log'), '-o', options]);
  const running = () => existsSync(path.join(data, 'postmaster.pid'));
  start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    start,
    stop: (mode = 'immediate') => asPostgres('pg_ctl', ['stop', '-w', '-t', '30', '-D', data, '-m', mode]),
    remove: () => {
      if (running())
        try {
          asPostgres('pg_ctl', ['stop', '-w', '-t', '30', '-D', data, '-m', 'immediate']);
        } catch {
          // already gone: the files are removed below either way
        }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
