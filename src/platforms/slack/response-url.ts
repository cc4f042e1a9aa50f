/**
 * Answers on a slash command's or click's `response_url`, in place of Bolt's `respond()`. Bolt
 * posts through `fetch`, which cost about 360 µs of CPU per answer against 70 µs for node's own
 * HTTP client on kept-alive connections — a tenth of posko's CPU per `/tiket buka` in B1 (issue 14).
 */
import http from 'node:http';
import https from 'node:https';
import type { RespondArguments } from '@slack/bolt';

/** An answer to the person who acted, on the response_url their request carried. */
export type Respond = (message: RespondArguments) => Promise<void>;

const TIMEOUT_MS = 10_000;
// An idle kept-alive connection is let go before the common server default of 5 s: a request
// written just as the server closes its end is lost with the connection.
const IDLE_MS = 4_000;
const agents = {
  'http:': new http.Agent({ keepAlive: true, timeout: IDLE_MS }),
  'https:': new https.Agent({ keepAlive: true, timeout: IDLE_MS }),
};

/** Raised like Bolt's: an answer Slack did not take (expired URL, rate limit) reaches the caller's log. */
export class ResponseUrlError extends Error {
  constructor(readonly status: number) {
    super(`response_url answered ${status}`);
  }
}

/** POSTs `message` as JSON to `responseUrl`; resolves on a 2xx answer. */
export function postToResponseUrl(responseUrl: string, message: RespondArguments): Promise<void> {
  const url = new URL(responseUrl);
  const client = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : undefined;
  if (!client) return Promise.reject(new Error(`response_url has an unsupported scheme ${url.protocol}`));
  const body = JSON.stringify(message);
  const send = (retried: boolean): Promise<void> =>
    new Promise((resolve, reject) => {
      const request = client.request(
        url,
        {
          method: 'POST',
          agent: agents[url.protocol as keyof typeof agents],
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
          timeout: TIMEOUT_MS,
        },
        (response) => {
          response.resume();
          response.on('end', () => {
            const status = response.statusCode ?? 0;
            if (status >= 200 && status < 300) resolve();
            else reject(new ResponseUrlError(status));
          });
          response.on('error', reject);
        },
      );
      request.on('timeout', () => request.destroy(new Error('response_url did not answer in time')));
      request.on('error', (err: NodeJS.ErrnoException) => {
        // A kept-alive connection the server had already closed: nothing reached it, so the
        // answer goes once more on a new connection (node's documented remedy).
        if (!retried && request.reusedSocket && (err.code === 'ECONNRESET' || err.code === 'EPIPE'))
          resolve(send(true));
        else reject(err);
      });
      request.end(body);
    });
  return send(false);
}

/** How to answer a request that carried a response_url; nothing without one. */
export function respondVia(responseUrl: string | undefined): Respond | undefined {
  if (!responseUrl) return undefined;
  return (message) => postToResponseUrl(responseUrl, message);
}
