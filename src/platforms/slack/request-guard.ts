/**
 * What Bolt's HTTP receiver leaves open on POST /slack/events, closed before Bolt sees the request:
 *
 * - Bolt refuses a signed timestamp more than five minutes in the past but not one in the future,
 *   so a captured request could be replayed for as long as its forged-ahead clock allows. A
 *   timestamp more than five minutes ahead is answered 401.
 * - A correctly signed body that is not an object (JSON `null`, `[]`, `42`, garbage in a form's
 *   `payload`) makes Bolt throw outside its handlers: no answer and an unhandled rejection. Such a
 *   body is answered 400.
 *
 * An unsigned or wrongly signed request goes on to Bolt untouched, which answers it 401 as before.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HTTPModuleFunctions, type HTTPReceiver, isValidSlackRequest } from '@slack/bolt';
import type { Logger } from '../../log.js';

export const MAX_CLOCK_AHEAD_SECONDS = 5 * 60;
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

async function guard(
  req: IncomingMessage,
  res: ServerResponse,
  opts: { signingSecret: string; bodyLimit?: number; log: Logger },
): Promise<boolean> {
  const timestamp = Number(header(req, 'x-slack-request-timestamp'));
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
  const signed = isValidSlackRequest({
    signingSecret: opts.signingSecret,
    body: buffered.rawBody.toString(),
    headers: {
      'x-slack-signature': header(req, 'x-slack-signature'),
      'x-slack-request-timestamp': timestamp,
    },
  });
  if (signed && !isWellFormed(buffered)) {
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
