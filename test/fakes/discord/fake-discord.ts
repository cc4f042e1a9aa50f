/**
 * A small local stand-in for Discord's servers, enough for the real discord.js 14 Client:
 * - REST (node:http) under `${apiUrl}/v10/…` that records every call and answers the routes
 *   posko and discord.js use (gateway info, command registration, channel messages, threads,
 *   DMs, interaction callbacks and their webhook follow-ups);
 * - a `ws` gateway: HELLO, IDENTIFY → READY + GUILD_CREATE, heartbeat ACKs, and `push()` for
 *   INTERACTION_CREATE payloads (slash commands, button clicks, modal submits) built by helpers
 *   that mirror what Discord really sends.
 * Nothing of posko or discord.js is mocked; only Discord itself is faked.
 */

import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { type FormPart, multipartParts } from '../multipart.js';
import { guildCreatePayload, memberPayload } from './payloads.js';
import type { FakeUser, Raw } from './wire.js';

export type { FakeUser, Raw } from './wire.js';

export interface RecordedCall {
  method: string;
  /** Path after the API version, e.g. `/channels/1/messages`. */
  path: string;
  query: Record<string, string>;
  body: Raw;
  /** The Authorization header (interaction callbacks and webhooks send none). */
  auth: string | null;
  /** Attachments of a multipart request (`files[n]`), with their bytes. */
  files?: FormPart[];
}

/** A message as stored by the fake (the shape Discord returns). */
export interface FakeMessage {
  id: string;
  channel_id: string;
  content: string;
  embeds: Raw[];
  components: Raw[];
  flags: number;
  allowed_mentions?: Raw;
  author: Raw;
  /** How it was created: a channel post, an interaction reply, or a follow-up. */
  via: 'channel' | 'interaction' | 'webhook';
  /** The interaction it answers, when it is an interaction response. */
  interactionId?: string;
  edits: number;
}

/** Every message-shaped body posko sent (create or edit), for checks that must hold on all. */
export interface SentBody {
  kind: 'channel.post' | 'channel.edit' | 'interaction.reply' | 'interaction.update' | 'webhook.post' | 'webhook.edit';
  channelId: string | null;
  interactionId?: string;
  /** Seen only by the person who triggered it (flag 64 on the message). */
  ephemeral: boolean;
  body: Raw;
}

export interface FakeInteraction {
  id: string;
  token: string;
  payload: Raw;
  /** Callback bodies in order ({type, data}). */
  callbacks: Raw[];
  /** Message ids created for this interaction (@original and follow-ups). */
  messageIds: string[];
}

export const EPHEMERAL = 64;
export const isEphemeral = (m: { flags: number }) => (m.flags & EPHEMERAL) === EPHEMERAL;
const VERSION_PREFIX = /^\/api\/v\d+/;

let snowflakeCounter = 1_300_000_000_000_000_000n;
export function snowflake(): string {
  snowflakeCounter += 1n;
  return snowflakeCounter.toString();
}

export interface FakeDiscordOptions {
  token?: string;
  applicationId?: string;
  guildId?: string;
  channelId?: string;
  guildRoles?: { id: string; name: string }[];
}

export class FakeDiscord {
  readonly token: string;
  readonly applicationId: string;
  readonly guildId: string;
  readonly channelId: string;
  readonly bot: FakeUser;
  readonly calls: RecordedCall[] = [];
  readonly sent: SentBody[] = [];
  readonly messages = new Map<string, FakeMessage>();
  private readonly byNonce = new Map<string, FakeMessage>();
  readonly channels = new Map<string, Raw>();
  readonly interactions = new Map<string, FakeInteraction>();
  /** Registered commands: key "global" or the guild id. */
  readonly commands = new Map<string, Raw[]>();
  readonly identifies: Raw[] = [];
  private readonly users = new Map<string, FakeUser>();
  private readonly rateLimits: { method: string; path: RegExp; retryAfterSeconds: number }[] = [];
  private readonly waiters: { test: () => boolean; resolve: () => void }[] = [];
  private server!: Server;
  private gateway!: WebSocketServer;
  private sockets = new Set<WebSocket>();
  private seq = 0;
  private port = 0;
  private readonly guildRoles: { id: string; name: string }[];

  constructor(opts: FakeDiscordOptions = {}) {
    this.token = opts.token ?? 'fake-bot-token';
    this.applicationId = opts.applicationId ?? snowflake();
    this.guildId = opts.guildId ?? snowflake();
    this.channelId = opts.channelId ?? snowflake();
    this.guildRoles = opts.guildRoles ?? [];
    this.bot = { id: this.applicationId, username: 'posko' };
    this.users.set(this.bot.id, this.bot);
    this.channels.set(this.channelId, {
      id: this.channelId,
      type: 0,
      guild_id: this.guildId,
      name: 'posko-tim-a',
      position: 0,
      permission_overwrites: [],
      nsfw: false,
      parent_id: null,
    });
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}/gateway`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: String(err), code: 0 }));
      });
    });
    this.gateway = new WebSocketServer({ server: this.server, path: '/gateway' });
    this.gateway.on('connection', (ws) => this.onGatewayConnection(ws));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    await new Promise<void>((resolve) => this.gateway.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Registers a person of the guild (used to build members in interactions). */
  user(id: string, username: string): FakeUser {
    const u = { id, username };
    this.users.set(id, u);
    return u;
  }

  /** Interactions whose 3 s have passed: Discord answers their callback with Unknown interaction. */
  readonly expired = new Set<string>();

  /** The next request matching method+path answers 429 with this Retry-After. */
  rateLimitNext(method: string, path: RegExp, retryAfterSeconds: number): void {
    this.rateLimits.push({ method: method.toUpperCase(), path, retryAfterSeconds });
  }

  /** Resolves once `test()` holds (checked after every recorded call and gateway event). */
  until(test: () => boolean): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }

  /** Messages currently in a channel or thread, oldest first. */
  messagesIn(channelId: string): FakeMessage[] {
    return [...this.messages.values()].filter((m) => m.channel_id === channelId && m.via === 'channel');
  }

  /** The thread started on a message, if Raw. */
  threadOf(messageId: string): Raw | undefined {
    const ch = this.channels.get(messageId);
    return ch && ch.type === 11 ? ch : undefined;
  }

  /** Messages created as answers to an interaction (@original first, then follow-ups). */
  repliesTo(interactionId: string): FakeMessage[] {
    const i = this.interactions.get(interactionId);
    return (i?.messageIds ?? []).map((id) => this.messages.get(id)!).filter(Boolean);
  }

  // ---------------------------------------------------------------- interactions (gateway → bot)

  private member(userId: string, roleIds: string[] = []) {
    return memberPayload(this.users.get(userId) ?? this.user(userId, `user${userId.slice(-4)}`), roleIds);
  }

  private base(type: number, userId: string, channelId: string, roleIds?: string[]) {
    const id = snowflake();
    const token = `itok_${randomBytes(12).toString('hex')}`;
    const channel = this.channels.get(channelId) ?? { id: channelId, type: 0, guild_id: this.guildId };
    return {
      id,
      token,
      application_id: this.applicationId,
      type,
      version: 1,
      guild_id: this.guildId,
      guild: { id: this.guildId, locale: 'id', features: [] },
      channel_id: channelId,
      channel,
      member: this.member(userId, roleIds),
      locale: 'id',
      guild_locale: 'id',
      app_permissions: '2248473465835073',
      entitlements: [],
      authorizing_integration_owners: { '0': this.guildId },
      context: 0,
      attachment_size_limit: 8388608,
    };
  }

  /**
   * A `/tiket <sub>` chat-input command. `options` values: strings/numbers; a user option is
   * given as `{ user: id }` and gets its `resolved` entry as Discord sends it.
   */
  slash(
    userId: string,
    sub: string,
    options: Record<string, string | number | { user: string }> = {},
    opts: { channelId?: string; roles?: string[]; locale?: string; id?: string } = {},
  ): Raw {
    const payload: Raw = this.base(2, userId, opts.channelId ?? this.channelId, opts.roles);
    if (opts.id) payload.id = opts.id;
    if (opts.locale) payload.locale = opts.locale;
    const registered = [...this.commands.values()].flat().find((c) => c.name === 'tiket');
    const resolved: Raw = { users: {}, members: {} };
    const subOptions = Object.entries(options).map(([name, value]) => {
      if (typeof value === 'object') {
        const m = this.member(value.user);
        resolved.users[value.user] = m.user;
        const { user: _u, ...member } = m;
        resolved.members[value.user] = member;
        return { type: 6, name, value: value.user };
      }
      return { type: typeof value === 'number' ? 4 : 3, name, value };
    });
    payload.data = {
      id: registered?.id ?? snowflake(),
      name: 'tiket',
      type: 1,
      guild_id: this.guildId,
      options: [{ type: 1, name: sub, options: subOptions }],
      ...(Object.keys(resolved.users).length ? { resolved } : {}),
    };
    return payload;
  }

  /** Typing in option `focused` of `/tiket <sub>`: Discord asks for suggestions (type 4 interaction). */
  autocomplete(userId: string, sub: string, focused: string, typed: string, others: Record<string, string> = {}): Raw {
    const payload = this.slash(userId, sub, others);
    payload.type = 4;
    payload.data.options[0].options.push({ type: 3, name: focused, value: typed, focused: true });
    return payload;
  }

  /**
   * A message context-menu command (`name`) used on a customer's message in the channel: Discord
   * sends the message itself in `resolved.messages`.
   */
  messageCommand(
    userId: string,
    name: string,
    message: { id: string; content: string; channelId?: string },
    opts: { id?: string } = {},
  ): Raw {
    const channelId = message.channelId ?? this.channelId;
    const payload: Raw = this.base(2, userId, channelId);
    if (opts.id) payload.id = opts.id;
    const registered = [...this.commands.values()].flat().find((c) => c.name === name);
    const author = this.member(userId).user;
    payload.data = {
      id: registered?.id ?? snowflake(),
      name,
      type: 3,
      guild_id: this.guildId,
      target_id: message.id,
      resolved: {
        messages: {
          [message.id]: {
            id: message.id,
            type: 0,
            channel_id: channelId,
            content: message.content,
            author,
            embeds: [],
            components: [],
            attachments: [],
            mentions: [],
            mention_roles: [],
            mention_everyone: false,
            pinned: false,
            tts: false,
            flags: 0,
            timestamp: new Date().toISOString(),
            edited_timestamp: null,
          },
        },
      },
    };
    return payload;
  }

  /** A click on a button of a stored message. */
  click(userId: string, messageId: string, customId: string, opts: { roles?: string[]; id?: string } = {}): Raw {
    const message = this.messages.get(messageId);
    if (!message) throw new Error(`no message ${messageId}`);
    const hasButton = message.components
      .flatMap((row: Raw) => row.components ?? [])
      .some((c: Raw) => c.custom_id === customId);
    if (!hasButton) throw new Error(`message ${messageId} has no button ${customId}`);
    const payload: Raw = this.base(3, userId, message.channel_id, opts.roles);
    if (opts.id) payload.id = opts.id;
    payload.message = this.apiMessage(message);
    payload.data = { custom_id: customId, component_type: 2 };
    return payload;
  }

  /**
   * Submits the modal that interaction `openedBy` showed, with `values` by field custom_id
   * (a select inside a label gets `[value]`). Mirrors the modal's component layout.
   */
  submit(userId: string, openedBy: string, values: Record<string, string>, opts: { id?: string } = {}): Raw {
    const opened = this.interactions.get(openedBy);
    const modal = opened?.callbacks.find((c) => c.type === 9)?.data;
    if (!opened || !modal) throw new Error(`interaction ${openedBy} showed no modal`);
    const channelId = opened.payload.channel_id;
    const payload: Raw = this.base(5, userId, channelId);
    if (opts.id) payload.id = opts.id;
    if (opened.payload.message) payload.message = opened.payload.message;
    const answer = (c: Raw) => {
      if (c.type === 4)
        return { type: 4, id: c.id, custom_id: c.custom_id, value: values[c.custom_id] ?? c.value ?? '' };
      if (c.type === 3) {
        const v = values[c.custom_id];
        const def = (c.options ?? []).filter((o: Raw) => o.default).map((o: Raw) => o.value);
        return { type: 3, id: c.id, custom_id: c.custom_id, values: v !== undefined ? [v] : def };
      }
      return c;
    };
    payload.data = {
      custom_id: modal.custom_id,
      components: modal.components.map((row: Raw) =>
        row.type === 18
          ? { type: 18, id: row.id, component: answer(row.component) }
          : { type: 1, id: row.id, components: (row.components ?? []).map(answer) },
      ),
    };
    return payload;
  }

  /** Sends an INTERACTION_CREATE to every connected gateway session; returns its id. */
  push(payload: Raw): string {
    this.interactions.set(payload.id, {
      id: payload.id,
      token: payload.token,
      payload,
      callbacks: [],
      messageIds: [],
    });
    this.dispatch('INTERACTION_CREATE', payload);
    return payload.id;
  }

  /** Sends the same payload again (Discord's at-least-once delivery). */
  pushAgain(interactionId: string): void {
    const i = this.interactions.get(interactionId);
    if (!i) throw new Error(`no interaction ${interactionId}`);
    this.dispatch('INTERACTION_CREATE', i.payload);
  }

  // ---------------------------------------------------------------- gateway

  private dispatch(t: string, d: Raw, only?: WebSocket): void {
    this.seq += 1;
    const frame = JSON.stringify({ op: 0, t, s: this.seq, d });
    for (const ws of only ? [only] : this.sockets) if (ws.readyState === WebSocket.OPEN) ws.send(frame);
  }

  private onGatewayConnection(ws: WebSocket): void {
    this.sockets.add(ws);
    ws.on('close', () => this.sockets.delete(ws));
    ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 41_250 }, s: null, t: null }));
    ws.on('message', (raw) => {
      const msg = JSON.parse(String(raw));
      if (msg.op === 1) ws.send(JSON.stringify({ op: 11, d: null, s: null, t: null }));
      else if (msg.op === 2) this.onIdentify(ws, msg.d);
      this.wake();
    });
  }

  private onIdentify(ws: WebSocket, d: Raw): void {
    this.identifies.push(d);
    if (d.token !== this.token && d.token !== `Bot ${this.token}`) {
      ws.close(4004, 'Authentication failed.');
      return;
    }
    this.dispatch(
      'READY',
      {
        v: 10,
        user: { id: this.bot.id, username: this.bot.username, discriminator: '0', bot: true, avatar: null, flags: 0 },
        guilds: [{ id: this.guildId, unavailable: true }],
        session_id: randomBytes(8).toString('hex'),
        resume_gateway_url: this.gatewayUrl,
        shard: [0, 1],
        application: { id: this.applicationId, flags: 0 },
      },
      ws,
    );
    this.dispatch(
      'GUILD_CREATE',
      guildCreatePayload({
        guildId: this.guildId,
        ownerId: snowflake(),
        roles: this.guildRoles,
        channels: [...this.channels.values()].filter((c) => c.type === 0),
        members: [this.member(this.bot.id)],
      }),
      ws,
    );
  }

  // ---------------------------------------------------------------- REST

  private wake(): void {
    for (const w of [...this.waiters]) {
      if (w.test()) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const bytes = Buffer.concat(chunks);
    const raw = bytes.toString('utf8');
    let body: Raw = null;
    if (raw) {
      const type = req.headers['content-type'] ?? '';
      if (type.startsWith('multipart/')) {
        const m = /name="payload_json"[^\r\n]*\r\n(?:[^\r\n]+\r\n)*\r\n([\s\S]*?)\r\n--/.exec(raw);
        body = m ? JSON.parse(m[1]!) : raw;
      } else body = JSON.parse(raw);
    }
    const path = url.pathname.replace(VERSION_PREFIX, '');
    const method = (req.method ?? 'GET').toUpperCase();
    const call: RecordedCall = {
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      body,
      auth: (req.headers.authorization as string | undefined) ?? null,
    };
    const type = String(req.headers['content-type'] ?? '');
    if (type.startsWith('multipart/')) call.files = multipartParts(bytes, type).filter((p) => p.filename !== undefined);
    this.calls.push(call);
    try {
      const limit = this.rateLimits.findIndex((r) => r.method === method && r.path.test(path));
      if (limit >= 0) {
        const [r] = this.rateLimits.splice(limit, 1);
        // A per-channel sub-limit as Discord sends it for message posts: Retry-After without
        // bucket headers (so discord.js does not also block the route on its own wall clock).
        res.writeHead(429, {
          'content-type': 'application/json',
          'retry-after': String(r!.retryAfterSeconds),
          'x-ratelimit-scope': 'shared',
        });
        res.end(
          JSON.stringify({ message: 'You are being rate limited.', retry_after: r!.retryAfterSeconds, global: false }),
        );
        return;
      }
      const answer = this.route(method, path, call);
      if (answer === undefined) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: `fake discord: no route ${method} ${path}`, code: 0 }));
      } else if (answer === null) {
        // 204: no content, and no JSON content type (discord.js would try to parse it).
        res.writeHead(204);
        res.end();
      } else if ('status' in answer && 'error' in answer) {
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer.error));
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer));
      }
    } finally {
      this.wake();
    }
  }

  private needsBotAuth(call: RecordedCall): { status: number; error: Raw } | null {
    return call.auth === `Bot ${this.token}` ? null : { status: 401, error: { message: '401: Unauthorized', code: 0 } };
  }

  /** undefined → 404, null → 204, else JSON 200. */
  private route(method: string, path: string, call: RecordedCall): Raw {
    const seg = path.split('/').filter(Boolean).map(decodeURIComponent);
    const body = call.body;
    // ---- authenticated bot routes
    if (seg[0] === 'gateway' && seg[1] === 'bot' && method === 'GET') {
      return (
        this.needsBotAuth(call) ?? {
          url: this.gatewayUrl,
          shards: 1,
          session_start_limit: { total: 1000, remaining: 999, reset_after: 86_400_000, max_concurrency: 1 },
        }
      );
    }
    if (seg[0] === 'applications' && seg[1] === '@me' && method === 'GET') {
      return this.needsBotAuth(call) ?? { id: this.applicationId, name: 'posko', bot_public: false, flags: 0 };
    }
    if (seg[0] === 'applications' && seg[1] === this.applicationId) {
      const unauthorized = this.needsBotAuth(call);
      if (unauthorized) return unauthorized;
      const key = seg[2] === 'guilds' ? seg[3]! : 'global';
      const tail = seg[2] === 'guilds' ? seg[4] : seg[2];
      if (tail !== 'commands') return undefined;
      if (method === 'PUT') {
        const stored = (body as Raw[]).map((c) => ({
          id: snowflake(),
          application_id: this.applicationId,
          version: snowflake(),
          ...(key === 'global' ? {} : { guild_id: key }),
          default_member_permissions: null,
          type: 1,
          ...c,
        }));
        this.commands.set(key, stored);
        return stored;
      }
      if (method === 'GET') return this.commands.get(key) ?? [];
      return undefined;
    }
    if (seg[0] === 'users' && seg[1] === '@me' && seg[2] === 'channels' && method === 'POST') {
      const unauthorized = this.needsBotAuth(call);
      if (unauthorized) return unauthorized;
      const id = snowflake();
      const recipient = this.users.get(body.recipient_id) ?? this.user(body.recipient_id, 'someone');
      const dm = { id, type: 1, recipients: [{ ...recipient, discriminator: '0' }], last_message_id: null };
      this.channels.set(id, dm);
      return dm;
    }
    if (seg[0] === 'channels') {
      const unauthorized = this.needsBotAuth(call);
      if (unauthorized) return unauthorized;
      const channelId = seg[1]!;
      if (!this.channels.has(channelId)) return { status: 404, error: { message: 'Unknown Channel', code: 10003 } };
      if (seg[2] === 'messages' && seg.length === 3 && method === 'POST') {
        // enforce_nonce: the same author's same nonce returns the message made the first time.
        const same = body?.enforce_nonce && body.nonce ? this.byNonce.get(`${channelId}:${body.nonce}`) : undefined;
        if (same) return this.apiMessage(same);
        const m = this.store(channelId, body, 'channel');
        if (body?.enforce_nonce && body.nonce) this.byNonce.set(`${channelId}:${body.nonce}`, m);
        this.sent.push({ kind: 'channel.post', channelId, ephemeral: false, body });
        return this.apiMessage(m);
      }
      if (seg[2] === 'messages' && seg.length === 4) {
        const m = this.messages.get(seg[3]!);
        if (!m || m.channel_id !== channelId)
          return { status: 404, error: { message: 'Unknown Message', code: 10008 } };
        if (method === 'PATCH') {
          this.patch(m, body);
          this.sent.push({ kind: 'channel.edit', channelId, ephemeral: false, body });
          return this.apiMessage(m);
        }
        if (method === 'GET') return this.apiMessage(m);
        return undefined;
      }
      if (seg[2] === 'messages' && seg[4] === 'threads' && method === 'POST') {
        const m = this.messages.get(seg[3]!);
        if (!m) return { status: 404, error: { message: 'Unknown Message', code: 10008 } };
        if (this.channels.has(m.id))
          return {
            status: 400,
            error: { message: 'A thread has already been created for this message', code: 160004 },
          };
        const thread = {
          id: m.id,
          type: 11,
          guild_id: this.guildId,
          parent_id: channelId,
          owner_id: this.bot.id,
          name: body.name,
          message_count: 0,
          member_count: 1,
          rate_limit_per_user: 0,
          flags: 0,
          thread_metadata: {
            archived: false,
            auto_archive_duration: body.auto_archive_duration ?? 4320,
            archive_timestamp: new Date().toISOString(),
            locked: false,
          },
        };
        this.channels.set(thread.id, thread);
        this.dispatch('THREAD_CREATE', { ...thread, newly_created: true });
        return thread;
      }
      return undefined;
    }
    // ---- interaction routes (no bot auth: the token is in the path)
    if (seg[0] === 'interactions' && seg[3] === 'callback' && method === 'POST') {
      const i = this.interactions.get(seg[1]!);
      if (!i || i.token !== seg[2] || this.expired.has(i.id))
        return { status: 404, error: { message: 'Unknown interaction', code: 10062 } };
      if (i.callbacks.length > 0)
        return { status: 400, error: { message: 'Interaction has already been acknowledged.', code: 40060 } };
      i.callbacks.push(body);
      const channelId = i.payload.channel_id;
      if (body.type === 4) {
        const m = this.store(channelId, body.data, 'interaction', i.id);
        i.messageIds.push(m.id);
        this.sent.push({
          kind: 'interaction.reply',
          channelId,
          interactionId: i.id,
          ephemeral: isEphemeral(m),
          body: body.data,
        });
      } else if (body.type === 5) {
        // deferred: @original is created empty (Discord shows "thinking…") with the given flags
        const m = this.store(channelId, { content: '', flags: body.data?.flags ?? 0 }, 'interaction', i.id);
        i.messageIds.push(m.id);
      } else if (body.type === 7) {
        const m = this.messages.get(i.payload.message?.id);
        if (m) this.patch(m, body.data);
        const ephemeral = m ? isEphemeral(m) : false;
        this.sent.push({ kind: 'interaction.update', channelId, interactionId: i.id, ephemeral, body: body.data });
      }
      if (call.query.with_response === 'true')
        return { interaction: { id: i.id, type: i.payload.type, response_message_id: i.messageIds[0] ?? null } };
      return null;
    }
    if (seg[0] === 'webhooks' && seg[1] === this.applicationId) {
      const i = [...this.interactions.values()].find((x) => x.token === seg[2]);
      if (!i) return { status: 404, error: { message: 'Unknown Webhook', code: 10015 } };
      if (i.callbacks.length === 0)
        return { status: 404, error: { message: 'Unknown Webhook (interaction not acknowledged)', code: 10015 } };
      const channelId = i.payload.channel_id;
      if (seg.length === 3 && method === 'POST') {
        const m = this.store(channelId, body, 'webhook', i.id);
        i.messageIds.push(m.id);
        this.sent.push({ kind: 'webhook.post', channelId, interactionId: i.id, ephemeral: isEphemeral(m), body });
        return this.apiMessage(m);
      }
      if (seg[3] === 'messages' && seg[4]) {
        const original = seg[4] === '@original';
        let m = original ? this.messages.get(i.messageIds[0] ?? '') : this.messages.get(seg[4]);
        if (method === 'PATCH') {
          // editing @original of a deferred update (type 6) edits the clicked message
          if (original && !m && i.callbacks[0]?.type === 6) m = this.messages.get(i.payload.message?.id);
          if (!m) return { status: 404, error: { message: 'Unknown Message', code: 10008 } };
          this.patch(m, body);
          this.sent.push({ kind: 'webhook.edit', channelId, interactionId: i.id, ephemeral: isEphemeral(m), body });
          return this.apiMessage(m);
        }
        if (!m) return { status: 404, error: { message: 'Unknown Message', code: 10008 } };
        if (method === 'GET') return this.apiMessage(m);
        if (method === 'DELETE') {
          this.messages.delete(m.id);
          return null;
        }
      }
      return undefined;
    }
    return undefined;
  }

  private store(channelId: string, body: Raw, via: FakeMessage['via'], interactionId?: string): FakeMessage {
    const m: FakeMessage = {
      id: snowflake(),
      channel_id: channelId,
      content: body?.content ?? '',
      embeds: body?.embeds ?? [],
      components: body?.components ?? [],
      flags: body?.flags ?? 0,
      allowed_mentions: body?.allowed_mentions,
      author: { id: this.bot.id, username: this.bot.username, discriminator: '0', bot: true, avatar: null },
      via,
      interactionId,
      edits: 0,
    };
    this.messages.set(m.id, m);
    const ch = this.channels.get(channelId);
    if (ch) ch.last_message_id = m.id;
    return m;
  }

  private patch(m: FakeMessage, body: Raw): void {
    if (!body) return;
    if ('content' in body) m.content = body.content ?? '';
    if ('embeds' in body) m.embeds = body.embeds ?? [];
    if ('components' in body) m.components = body.components ?? [];
    if ('allowed_mentions' in body) m.allowed_mentions = body.allowed_mentions;
    if ('flags' in body && body.flags !== undefined) m.flags = body.flags;
    m.edits += 1;
  }

  apiMessage(m: FakeMessage): Raw {
    return {
      id: m.id,
      type: 0,
      channel_id: m.channel_id,
      guild_id: this.channels.get(m.channel_id)?.guild_id,
      content: m.content,
      embeds: m.embeds,
      components: m.components,
      flags: m.flags,
      author: m.author,
      attachments: [],
      mentions: [],
      mention_roles: [],
      mention_everyone: false,
      pinned: false,
      tts: false,
      timestamp: new Date().toISOString(),
      edited_timestamp: m.edits ? new Date().toISOString() : null,
      ...(m.interactionId ? { application_id: this.applicationId, webhook_id: this.applicationId } : {}),
    };
  }
}

export async function startFakeDiscord(opts: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  return new FakeDiscord(opts).start();
}
