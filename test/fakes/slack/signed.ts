import { createHmac } from 'node:crypto';

/** How Slack signs a request: v0=HMAC-SHA256(secret, "v0:<timestamp>:<raw body>"). */
export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SignedOptions {
  /** Unix seconds; defaults to now. Use an old one to test the five-minute window. */
  timestamp?: number;
  /** Sign with this secret instead (a forged signature). */
  forgeWith?: string;
  /** X-Slack-Retry-Num header: Slack's redelivery of the same request. */
  retryNum?: number;
}

export interface SlackHttpAnswer {
  status: number;
  /** Parsed JSON when the app answered with a body, else the raw text ('' for an empty ack). */
  body: unknown;
}

/** POST a signed, form-encoded body (slash commands, interactivity) the way Slack does. */
export function postForm(
  url: string,
  secret: string,
  fields: Record<string, string>,
  opts: SignedOptions = {},
): Promise<SlackHttpAnswer> {
  return postSigned(url, secret, new URLSearchParams(fields).toString(), 'application/x-www-form-urlencoded', opts);
}

/** POST a signed JSON body (Events API). */
export function postJson(
  url: string,
  secret: string,
  body: unknown,
  opts: SignedOptions = {},
): Promise<SlackHttpAnswer> {
  return postSigned(url, secret, JSON.stringify(body), 'application/json', opts);
}

/** POST any body, signed: for bodies no Slack client would send (JSON `null`, garbage). */
export function postSignedRaw(
  url: string,
  secret: string,
  body: string,
  contentType: string,
  opts: SignedOptions = {},
): Promise<SlackHttpAnswer> {
  return postSigned(url, secret, body, contentType, opts);
}

async function postSigned(
  url: string,
  secret: string,
  body: string,
  contentType: string,
  opts: SignedOptions,
): Promise<SlackHttpAnswer> {
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'content-type': contentType,
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': slackSignature(opts.forgeWith ?? secret, timestamp, body),
  };
  if (opts.retryNum !== undefined) {
    headers['x-slack-retry-num'] = String(opts.retryNum);
    headers['x-slack-retry-reason'] = 'http_timeout';
  }
  const res = await fetch(url, { method: 'POST', headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : '';
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed };
}
