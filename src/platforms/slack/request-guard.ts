/**
 * The door of POST /slack/events: Slack's signature is checked here, once, before Bolt sees the
 * request (Bolt's receiver is built with its own check off). Besides what Bolt checked:
 *
 * - Bolt refuses a signed timestamp more than five minutes in the past but not one in the future,
 *   so a captured request could be replayed for as long as its forged-ahead clock allows. A
 *   timestamp more than five minutes ahead is answered 401.
 * - A correctly signed body that is not an object (JSON `null`, `[]`, `42`, garbage in a form's
 *   `payload`) makes Bolt throw outside its handlers: no answer and an unhandled rejection. Such a
 *   body is answered 400.
 *
 * An unsigned, wrongly signed or stale request is answered 401, as Bolt did; Slack's unsigned
 * `ssl_check` reaches Bolt with nothing but that field. Checking twice (here and in Bolt, with its
 * constant-time compare of three HMACs) cost ~35 µs of every ack (issue 14, B1).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import { HTTPModuleFunctions, type HTTPReceiver } from '@slack/bolt';
import type { Logger } from '../../log.js';

export const MAX_CLOCK_AHEAD_SECONDS = 5 * 60;
/** Slack's own rule, as Bolt applied it: a request signed longer ago than this is a replay. */
export const MAX_AGE_SECONDS = 5 * 60;
const EVENTS_PATH = '/slack/events';

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

function answer(res: ServerResponse, status: number) {
  if (res.headersSent) return;
  res.writeHead(status);
  res.end();
}

const header = (req: IncomingMessage, name: string) => {
  const value = req.headers[name];
  return typeof value === 'string' ? value : '';
};

/** True when the request is signed with our secret and its body is something Bolt can handle. */
function isWellFormed(req: IncomingMessage & { rawBody: Buffer }): boolean {
  try {
    const body: unknown = HTTPModuleFunctions.parseHTTPRequestBody(req);
    return typeof body === 'object' && body !== null && !Array.isArray(body);
  } catch {
    return false;
  }
}

/** v0 signature over `v0:<timestamp>:<body>`, fresh within five minutes (one HMAC, compared in constant time). */
function isSigned(secret: string, body: string, signature: string, stamp: string): boolean {
  const timestamp = Number(stamp);
  if (!stamp || !Number.isFinite(timestamp) || timestamp < Date.now() / 1000 - MAX_AGE_SECONDS) return false;
  if (!signature.startsWith('v0=')) return false;
  const theirs = Buffer.from(signature.slice(3), 'hex');
  // Slack signs the header as it sent it.
  const ours = createHmac('sha256', secret).update(`v0:${stamp}:${body}`).digest();
  return theirs.length === ours.length && timingSafeEqual(theirs, ours);
}

const isSslCheck = (req: IncomingMessage, body: string) =>
  header(req, 'content-type') === 'application/x-www-form-urlencoded' && parseQuery(body).ssl_check === '1';

async function guard(
  req: IncomingMessage,
  res: ServerResponse,
  opts: { signingSecret: string; bodyLimit?: number; log: Logger },
): Promise<boolean> {
  const stamp = header(req, 'x-slack-request-timestamp');
  const timestamp = Number(stamp);
  if (Number.isFinite(timestamp) && timestamp > Date.now() / 1000 + MAX_CLOCK_AHEAD_SECONDS) {
    opts.log.warn({ ahead: Math.round(timestamp - Date.now() / 1000) }, 'slack: request timestamp in the future');
    answer(res, 401);
    return false;
  }
  let buffered: IncomingMessage & { rawBody: Buffer };
  try {
    // Bolt reads the body it finds buffered here instead of the (then consumed) stream.
    buffered = await HTTPModuleFunctions.bufferIncomingMessage(req, opts.bodyLimit);
  } catch (err) {
    answer(res, HTTPModuleFunctions.isRawBodyError(err) && err.statusCode === 413 ? 413 : 400);
    return false;
  }
  const body = buffered.rawBody.toString();
  if (!isSigned(opts.signingSecret, body, header(req, 'x-slack-signature'), stamp)) {
    if (isSslCheck(req, body)) {
      // Slack's certificate check comes unsigned; anything riding along with it is dropped.
      buffered.rawBody = Buffer.from('ssl_check=1');
      return true;
    }
    opts.log.warn({ contentType: header(req, 'content-type') }, 'slack: request not signed with our secret, or stale');
    answer(res, 401);
    return false;
  }
  if (!isWellFormed(buffered)) {
    opts.log.warn({ contentType: header(req, 'content-type') }, 'slack: signed request with a malformed body');
    answer(res, 400);
    return false;
  }
  return true;
}

/** Puts the guard in front of the receiver's request listener (its server calls that property). */
export function guardSlackRequests(
  receiver: HTTPReceiver,
  opts: { signingSecret: string; bodyLimit?: number; log: Logger },
): void {
  const bolt: Listener = receiver.requestListener;
  receiver.requestListener = (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method !== 'POST' || path !== EVENTS_PATH) return bolt(req, res);
    guard(req, res, opts).then(
      (pass) => {
        if (pass) bolt(req, res);
      },
      (err: unknown) => {
        opts.log.error({ err }, 'slack: request guard failed');
        answer(res, 400);
      },
    );
  };
}
