import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { multipartParts } from '../multipart.js';

/** One Web API call as the fake received it (nested JSON fields such as `blocks` are decoded). */
export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
  token: string | undefined;
  /** The answer the fake gave: 'ok', the HTTP 429, or an error (`ok: false` or an HTTP 5xx). */
  answer: 'ok' | 'rate_limited' | 'error';
  /** The JSON body of an ok answer (e.g. the `ts` of a posted message). */
  result?: Record<string, unknown>;
  /** When the fake answered, on `performance.now()`'s clock. */
  at: number;
}

/** A POST to a `response_url` (Bolt's `respond()`): ephemeral answers to slash commands and clicks. */
export interface RecordedResponse {
  id: string;
  body: Record<string, unknown>;
}

/** A message the fake keeps as posted (its ts is the fake's clock, not the wall clock). */
export interface StoredMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  text: string;
  /** Wall-clock seconds, what `oldest` is compared with (the fake's ts are not wall-clock). */
  postedAt: number;
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
}

type Waiter = { match: () => boolean; resolve: () => void };

// Slack sends nested arguments form-encoded as JSON strings; decode them so tests can read them.
const JSON_FIELDS = new Set(['blocks', 'attachments', 'view', 'metadata', 'users', 'files']);

/** A file taken through files.getUploadURLExternal, its upload, and files.completeUploadExternal. */
export interface UploadedFile {
  id: string;
  filename: string;
  length: number;
  /** The bytes sent to the upload URL (the multipart part's content). */
  data?: Buffer;
  /** Set by files.completeUploadExternal: where the file was shared. */
  channel?: string;
  threadTs?: string;
  title?: string;
}

/**
 * A local stand-in for Slack's Web API (https://slack.com/api/…) and for response_url endpoints.
 * It records every call, answers the handful of methods posko uses, and can answer 429 with
 * Retry-After for chosen channels, so tests see what posko would have sent to Slack.
 */
export class FakeSlackApi {
  readonly calls: RecordedCall[] = [];
  readonly responses: RecordedResponse[] = [];
  /** What apps.connections.open hands out (the fake Socket Mode server's ws:// URL). */
  socketModeUrl: string | undefined;
  private server: Server | undefined;
  private origin = '';
  private tsCounter = 0;
  private viewCounter = 0;
  private fileCounter = 0;
  private readonly limits = new Map<string, { times: number; retryAfterSec: number }>();
  private readonly refusals = new Map<string, string>();
  private outageStatus: number | undefined;
  private channelGapMs: number | undefined;
  private updateGapMs: number | undefined;
  private readonly lastPost = new Map<string, number>();
  private waiters: Waiter[] = [];
  /** Users' Slack language (`en-US`, `id-ID`), answered by users.info with include_locale; unset: none. */
  readonly userLocales = new Map<string, string>();
  /** Messages as Slack would keep them, for conversations.history / conversations.replies. */
  readonly posted: StoredMessage[] = [];
  /** App Home tabs as published (views.publish), by Slack user id: the last one wins. */
  readonly homes = new Map<string, Record<string, unknown>>();
  /** Files uploaded with files.uploadV2's three steps, by file id. */
  readonly files = new Map<string, UploadedFile>();
  private postAnswerDelayMs = 0;
  /** chat.postMessage calls taken (the message is in `posted`) whose answer has not gone out yet. */
  unanswered = 0;

  /** Base URL for `slackApiUrl` / SLACK_API_URL, ending in /api/. */
  get apiUrl(): string {
    return `${this.origin}/api/`;
  }

  /** A response_url the fake accepts; POSTs to it land in `responses` under `id`. */
  responseUrl(id: string): string {
    return `${this.origin}/respond/${encodeURIComponent(id)}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: false, error: String(err) }));
      });
    });
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    const { port } = this.server.address() as AddressInfo;
    this.origin = `http://127.0.0.1:${port}`;
    return this;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
    this.server = undefined;
  }

  /** Answer the next `times` chat.postMessage/chat.update calls for `channel` with 429 Retry-After. */
  rateLimit(channel: string, times: number, retryAfterSec = 1): void {
    this.limits.set(channel, { times, retryAfterSec });
  }

  /**
   * Answer every chat.postMessage / chat.update / conversations.history for `channel` with
   * `{ ok: false, error }` (e.g. `channel_not_found`, `not_in_channel`), as Slack does, until
   * `refuse(channel, undefined)`.
   */
  refuse(channel: string, error: string | undefined): void {
    if (error) this.refusals.set(channel, error);
    else this.refusals.delete(channel);
  }

  /** A Slack outage: every Web API call answers this HTTP status (500 …) until `outage(undefined)`. */
  outage(status: number | undefined): void {
    this.outageStatus = status;
  }

  /**
   * Slack's own limit (about one message per second per channel): a chat.postMessage that comes
   * less than `gapMs` after the last one accepted in its channel is answered 429, Retry-After: 1.
   */
  limitPerChannel(gapMs = 1000): void {
    this.channelGapMs = gapMs;
  }

  /** The same for chat.update, on a limit of its own (its calls do not count against posts). */
  limitUpdatesPerChannel(gapMs = 1000): void {
    this.updateGapMs = gapMs;
  }

  /**
   * Answer chat.postMessage only `ms` after taking it: the message is already posted (visible in
   * history) while the caller waits, the window in which a killed sender never learns its ts.
   */
  slowPosts(ms: number): void {
    this.postAnswerDelayMs = ms;
  }

  /** Calls of one method that the fake answered ok. */
  ok(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method && c.answer === 'ok');
  }

  /** Every message text and block that went to a channel (posts and edits, not ephemerals). */
  channelMessages(): RecordedCall[] {
    return this.calls.filter((c) => c.method === 'chat.postMessage' || c.method === 'chat.update');
  }

  /** Resolves once `match` holds over what the fake has recorded (checked after every request). */
  waitFor(match: () => boolean): Promise<void> {
    if (match()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }

  reset(): void {
    this.calls.length = 0;
    this.responses.length = 0;
    this.limits.clear();
    this.refusals.clear();
    this.outageStatus = undefined;
    this.lastPost.clear();
    this.channelGapMs = undefined;
    this.updateGapMs = undefined;
    this.posted.length = 0;
    this.postAnswerDelayMs = 0;
    this.files.clear();
  }

  private notify(): void {
    const pending = this.waiters;
    this.waiters = [];
    for (const w of pending) {
      if (w.match()) w.resolve();
      else this.waiters.push(w);
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.origin);
    const bytes = await readBody(req);
    if (url.pathname.startsWith('/upload/')) {
      // files.uploadV2's step 2: the bytes go to the URL getUploadURLExternal handed out.
      const file = this.files.get(decodeURIComponent(url.pathname.slice('/upload/'.length)));
      const part = multipartParts(bytes, String(req.headers['content-type'] ?? ''))[0];
      if (file) file.data = part?.data ?? bytes;
      res.writeHead(file ? 200 : 404, { 'content-type': 'text/plain' });
      res.end(file ? `OK - ${bytes.length}` : 'no such upload');
      this.notify();
      return;
    }
    const raw = bytes.toString('utf8');
    const body = parseBody(raw, String(req.headers['content-type'] ?? ''));
    if (url.pathname.startsWith('/respond/')) {
      this.responses.push({ id: decodeURIComponent(url.pathname.slice('/respond/'.length)), body });
      sendJson(res, 200, { ok: true });
      this.notify();
      return;
    }
    if (!url.pathname.startsWith('/api/')) {
      sendJson(res, 404, { ok: false, error: 'not_found' });
      return;
    }
    const method = url.pathname.slice('/api/'.length);
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice(7) : (body.token as string | undefined);
    const at = performance.now();
    const failure = this.failure(method, body);
    if (failure) {
      this.calls.push({ method, args: body, token, answer: 'error', at });
      sendJson(res, failure.status, { ok: false, error: failure.error });
      this.notify();
      return;
    }
    const limited = this.takeLimit(method, body) ?? this.paced(method, body, at);
    const call: RecordedCall = { method, args: body, token, answer: limited ? 'rate_limited' : 'ok', at };
    this.calls.push(call);
    if (limited) {
      res.writeHead(429, { 'retry-after': String(limited), 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
    } else {
      call.result = this.answer(method, body);
      if (method === 'chat.postMessage' && this.postAnswerDelayMs > 0) {
        this.unanswered += 1;
        const result = call.result;
        setTimeout(() => {
          this.unanswered -= 1;
          if (!res.destroyed) sendJson(res, 200, result);
        }, this.postAnswerDelayMs);
      } else sendJson(res, 200, call.result);
    }
    this.notify();
  }

  private failure(method: string, body: Record<string, unknown>): { status: number; error: string } | undefined {
    if (this.outageStatus !== undefined && method !== 'auth.test')
      return { status: this.outageStatus, error: 'service_unavailable' };
    const refused = this.refusals.get(String(body.channel));
    const refusable = ['chat.postMessage', 'chat.update', 'conversations.history', 'conversations.replies'];
    return refused && refusable.includes(method) ? { status: 200, error: refused } : undefined;
  }

  private takeLimit(method: string, body: Record<string, unknown>): number | undefined {
    if (method !== 'chat.postMessage' && method !== 'chat.update') return undefined;
    const limit = this.limits.get(String(body.channel));
    if (!limit || limit.times <= 0) return undefined;
    limit.times -= 1;
    return limit.retryAfterSec;
  }

  private paced(method: string, body: Record<string, unknown>, at: number): number | undefined {
    const gap =
      method === 'chat.postMessage' ? this.channelGapMs : method === 'chat.update' ? this.updateGapMs : undefined;
    if (gap === undefined) return undefined;
    // chat.update counts on its own limit, apart from chat.postMessage's.
    const key = method === 'chat.update' ? `update:${String(body.channel)}` : String(body.channel);
    const last = this.lastPost.get(key);
    if (last !== undefined && at - last < gap) return 1;
    this.lastPost.set(key, at);
    return undefined;
  }

  private nextTs(): string {
    this.tsCounter += 1;
    return `1700000000.${String(this.tsCounter).padStart(6, '0')}`;
  }

  private answer(method: string, body: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://posko-test.slack.com/',
          team: 'posko',
          user: 'posko',
          team_id: 'T0POSKO',
          user_id: 'UPOSKOBOT',
          bot_id: 'BPOSKO',
        };
      case 'chat.postMessage': {
        const ts = this.nextTs();
        this.posted.push({
          channel: String(body.channel),
          ts,
          thread_ts: body.thread_ts ? String(body.thread_ts) : undefined,
          text: String(body.text ?? ''),
          postedAt: Date.now() / 1000,
          metadata: body.metadata as StoredMessage['metadata'],
        });
        return { ok: true, channel: body.channel, ts, message: { text: body.text, ts, thread_ts: body.thread_ts } };
      }
      case 'conversations.history':
      case 'conversations.replies': {
        const channel = String(body.channel);
        const oldest = Number(body.oldest ?? 0);
        const inThread = method === 'conversations.replies' ? String(body.ts) : undefined;
        const messages = this.posted
          .filter((m) => m.channel === channel && m.postedAt > oldest)
          .filter((m) => (inThread ? m.ts === inThread || m.thread_ts === inThread : !m.thread_ts))
          .map((m) => ({
            type: 'message',
            ts: m.ts,
            thread_ts: m.thread_ts,
            text: m.text,
            // Like Slack: metadata only when asked for.
            ...(String(body.include_all_metadata) === 'true' && m.metadata ? { metadata: m.metadata } : {}),
          }));
        if (!inThread) messages.reverse(); // history is newest first, replies oldest first
        return { ok: true, messages, has_more: false };
      }
      case 'chat.update':
        return { ok: true, channel: body.channel, ts: body.ts, text: body.text };
      case 'chat.getPermalink':
        return {
          ok: true,
          channel: body.channel,
          permalink: `https://posko-test.slack.com/archives/${body.channel}/p${String(body.message_ts).replace('.', '')}`,
        };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: this.nextTs() };
      case 'conversations.open': {
        const users = String(Array.isArray(body.users) ? body.users.join(',') : (body.users ?? ''));
        return { ok: true, channel: { id: `D${users.split(',')[0]}` } };
      }
      case 'views.publish': {
        // App Home: the user's Home tab is whatever was published last.
        this.viewCounter += 1;
        this.homes.set(String(body.user_id), body.view as Record<string, unknown>);
        return { ok: true, view: { id: `V${this.viewCounter}`, ...(body.view as object) } };
      }
      case 'views.open':
      case 'views.push':
      case 'views.update':
        this.viewCounter += 1;
        return { ok: true, view: { id: `V${this.viewCounter}`, ...(body.view as object) } };
      case 'users.info': {
        const id = String(body.user);
        const locale = body.include_locale ? this.userLocales.get(id) : undefined;
        return {
          ok: true,
          user: {
            id,
            name: id.toLowerCase(),
            profile: { display_name: `name-${id}`, real_name: `Real ${id}` },
            ...(locale ? { locale } : {}),
          },
        };
      }
      case 'files.getUploadURLExternal': {
        this.fileCounter += 1;
        const id = `F${this.fileCounter}`;
        this.files.set(id, { id, filename: String(body.filename), length: Number(body.length) });
        return { ok: true, upload_url: `${this.origin}/upload/${id}`, file_id: id };
      }
      case 'files.completeUploadExternal': {
        const done = (body.files as { id: string; title?: string }[]).map((f) => {
          const file = this.files.get(f.id);
          if (!file?.data) return null;
          file.channel = String(body.channel_id);
          file.threadTs = body.thread_ts ? String(body.thread_ts) : undefined;
          file.title = f.title;
          return { id: file.id, name: file.filename, title: f.title };
        });
        return done.every(Boolean) ? { ok: true, files: done } : { ok: false, error: 'file_not_found' };
      }
      case 'apps.connections.open':
        return this.socketModeUrl
          ? { ok: true, url: this.socketModeUrl }
          : { ok: false, error: 'no_socket_mode_server' };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseBody(raw: string, contentType: string): Record<string, unknown> {
  if (raw === '') return {};
  if (contentType.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    out[key] = JSON_FIELDS.has(key) && /^[[{]/.test(value) ? JSON.parse(value) : value;
  }
  return out;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
