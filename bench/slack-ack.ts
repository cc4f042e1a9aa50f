/**
 * Slack ack latency: Slack gives an app 3 s to acknowledge a slash command. posko acks before it
 * runs the command, so the ack time should stay flat while the command's own work (a database
 * transaction, the answer on response_url) takes longer. Prints both, and their ratio.
 * The client here shares the process (and PGlite's event loop) with posko, so its ack figure
 * includes waiting for the command's work to yield; the server-side mean is the pure ack.
 * Run: npx tsx bench/slack-ack.ts
 */
import pino from 'pino';
import { createCore } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createSlackApp } from '../src/platforms/slack/app.js';
import { slashCommand, triggerId } from '../test/fakes/slack/payloads.js';
import { postForm } from '../test/fakes/slack/signed.js';
import { FakeSlackApi } from '../test/fakes/slack/web-api.js';

const SECRET = 'bench-secret';
const COMMANDS = 200;

const api = await new FakeSlackApi().start();
const config = loadConfig({ DATABASE_URL: 'memory://', POSKO_ADMINS: 'slack:USPV' } as NodeJS.ProcessEnv, '');
const { core, close } = await createCore({ config, log: pino({ level: 'silent' }) });
const slack = createSlackApp(core, { botToken: 'xoxb-bench', signingSecret: SECRET, apiUrl: api.apiUrl, port: 0 });
const { port } = await slack.start();
const url = `http://127.0.0.1:${port}/slack/events`;

const ack: number[] = [];
const done: number[] = [];
for (let i = 0; i < COMMANDS; i++) {
  const id = String(900_000_000_000 + i);
  const text = `buka layanan=internet id=${id} nama="Pelanggan ${i}" kontak=0812${id.slice(-8)} keluhan="lambat"`;
  const t0 = performance.now();
  await postForm(
    url,
    SECRET,
    slashCommand({
      userId: 'USPV',
      channelId: 'CBENCH',
      text,
      responseUrl: api.responseUrl(`b${i}`),
      triggerId: triggerId(),
    }),
  );
  ack.push(performance.now() - t0);
  await slack.idle();
  done.push(performance.now() - t0);
}

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? 0;
const row = (name: string, xs: number[]) =>
  console.log(
    `${name.padEnd(22)} p50 ${pct(xs, 50).toFixed(1)} ms   p95 ${pct(xs, 95).toFixed(1)} ms   max ${Math.max(...xs).toFixed(1)} ms`,
  );
console.log(`${COMMANDS} × /tiket buka over signed HTTP (PGlite in memory)`);
row('ack (HTTP 200)', ack);
row('command done', done);
// Server side, from the /metrics histogram: arrival (after signature check) to ack.
const hist = await slack.metrics.ackSeconds.get();
const sum = hist.values.find((v) => v.metricName === 'posko_slack_ack_seconds_sum')?.value ?? 0;
const count = hist.values.find((v) => v.metricName === 'posko_slack_ack_seconds_count')?.value ?? 1;
console.log(`${'ack, server side'.padEnd(22)} mean ${((sum / count) * 1000).toFixed(2)} ms over ${count}`);
console.log(`ack / done at p50: ${(pct(ack, 50) / pct(done, 50)).toFixed(2)}  (Slack's limit: 3000 ms)`);

await slack.stop();
await close();
await api.close();
