import { Agent, request } from 'node:http';
import { slashCommand } from '../../test/fakes/slack/payloads.js';
import { slackSignature } from '../../test/fakes/slack/signed.js';

export interface LoadResult {
  /** Time from sending each request to its answer's last byte, ms. */
  latencies: number[];
  elapsedMs: number;
  /** Answers other than 200 (and transport errors). */
  failures: number;
}

export interface SlashLoad {
  /** http://host:port/slack/events */
  url: string;
  secret: string;
  /** Customer numbers first..first+count-1 (each a distinct customer). */
  first: number;
  count: number;
  concurrency: number;
  /** response_url for customer i. */
  responseUrl(i: number): string;
}

/** A valid `/tiket buka` for customer i: an IndiHome customer ID and a mobile number of its own. */
export function bukaText(i: number): string {
  const id = `12${String(i).padStart(10, '0')}`;
  return `buka layanan=indihome id=${id} nama="Pelanggan ${letters(i)}" kontak=0812${String(i % 1e8).padStart(8, '0')} keluhan="internet mati sejak pagi"`;
}

/** A name may hold letters only: customer 0 is "A", 27 is "Bb". */
function letters(i: number): string {
  let s = '';
  for (let n = i; ; n = Math.floor(n / 26) - 1) {
    s = String.fromCharCode(97 + (n % 26)) + s;
    if (n < 26) break;
  }
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * Signed slash commands as Slack sends them, `concurrency` in flight over keep-alive
 * connections: each worker sends its next request as soon as the previous one is answered.
 */
export async function driveSlashCommands(load: SlashLoad): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: load.concurrency });
  const target = new URL(load.url);
  const latencies: number[] = [];
  let failures = 0;
  let next = load.first;
  const end = load.first + load.count;

  const send = (i: number) =>
    new Promise<number>((resolve) => {
      const body = new URLSearchParams(
        slashCommand({
          userId: 'USPV',
          channelId: 'CBENCH',
          text: bukaText(i),
          responseUrl: load.responseUrl(i),
          triggerId: `bench.${process.pid}.${i}`,
        }),
      ).toString();
      const timestamp = Math.floor(Date.now() / 1000);
      const req = request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'content-length': Buffer.byteLength(body),
            'x-slack-request-timestamp': String(timestamp),
            'x-slack-signature': slackSignature(load.secret, timestamp, body),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', () => resolve(0));
      req.end(body);
    });

  const worker = async () => {
    while (next < end) {
      const i = next++;
      const t0 = performance.now();
      const status = await send(i);
      latencies.push(performance.now() - t0);
      if (status !== 200) failures++;
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: load.concurrency }, worker));
  const elapsedMs = performance.now() - start;
  agent.destroy();
  return { latencies, elapsedMs, failures };
}
