/**
 * What lies outside posko, in a process of its own: the fake Slack Web API
 * (test/fakes/slack/web-api.ts) and the MONITA mock (src/monita/mock.ts, as `posko monita-mock`
 * serves it). So the calls posko makes out (response_url answers, cards, MONITA fault tickets)
 * neither run inside posko's process nor share the load generator's event loop.
 * Talks to its parent over IPC: sends { apiUrl, origin, monitaUrl } when listening, answers 'counts'.
 */
import { startMonitaMock } from '../../src/monita/mock.js';
import { FakeSlackApi } from '../../test/fakes/slack/web-api.js';

export interface FakeSlackReady {
  apiUrl: string;
  /** response_url for id X is `${origin}/respond/X`. */
  origin: string;
  monitaUrl: string;
}

export interface FakeSlackCounts {
  counts: true;
  /** POSTs to a response_url. */
  responses: number;
  /** Of those, answers that name a ticket (GGN-…): the command ran and succeeded. */
  ticketAnswers: number;
  /** Web API calls by method. */
  calls: Record<string, number>;
  /** The last response_url answer, to show what went wrong when answers name no ticket. */
  lastResponse?: Record<string, unknown>;
}

const api = await new FakeSlackApi().start();
const monita = await startMonitaMock({ port: 0, seed: 'bench', speed: 1 });
const ready: FakeSlackReady = {
  apiUrl: api.apiUrl,
  origin: api.responseUrl('').replace(/\/respond\/$/, ''),
  monitaUrl: monita.url,
};
process.send?.(ready);

// Counted as they come (the parent asks every few hundred ms; rescanning thousands of answers and
// calls each time took a core's share from the benchmarked process).
let scannedResponses = 0;
let ticketAnswers = 0;
let scannedCalls = 0;
const calls: Record<string, number> = {};
process.on('message', (m) => {
  if (m !== 'counts') return;
  for (; scannedCalls < api.calls.length; scannedCalls++) {
    const method = api.calls[scannedCalls]?.method ?? '';
    calls[method] = (calls[method] ?? 0) + 1;
  }
  for (; scannedResponses < api.responses.length; scannedResponses++)
    if (/GGN-\d+/.test(String(api.responses[scannedResponses]?.body.text ?? ''))) ticketAnswers++;
  const lastResponse = api.responses.at(-1)?.body;
  const counts: FakeSlackCounts = { counts: true, responses: api.responses.length, ticketAnswers, calls, lastResponse };
  process.send?.(counts);
});
const close = () => void Promise.all([api.close(), monita.close()]).then(() => process.exit(0));
process.on('SIGTERM', close);
process.on('disconnect', close);
