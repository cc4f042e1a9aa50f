import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { runMonitaMockCli } from '../../src/monita/cli.js';

describe('posko monita-mock', () => {
  it('prints its URL, serves the feed and stops on SIGTERM', async () => {
    const out: string[] = [];
    const signals = new EventEmitter();
    const done = runMonitaMockCli(
      ['--port', '0', '--seed', '42', '--speed', '60', '--ticket', 'IN123456789'],
      {
        out: (l) => out.push(l),
        err: (l) => out.push(l),
      },
      signals,
    );
    while (out.length < 2) await new Promise((r) => setTimeout(r, 10));
    const url = /listening on (\S+)/.exec(out[0]!)![1]!;
    const res = await fetch(`${url}/api/tickets/IN123456789`);
    expect(res.status).toBe(200);
    signals.emit('SIGTERM');
    expect(await done).toBe(0);
  });

  it('refuses bad arguments with the usage and exit code 2', async () => {
    const err: string[] = [];
    const io = { out: () => {}, err: (l: string) => err.push(l) };
    expect(await runMonitaMockCli(['--speed', 'fast'], io)).toBe(2);
    expect(await runMonitaMockCli(['--ticket', 'GGN-000001'], io)).toBe(2);
    expect(await runMonitaMockCli(['--bogus'], io)).toBe(2);
    expect(err.join('\n')).toMatch(/--speed[\s\S]*--ticket[\s\S]*usage/);
  });
});
