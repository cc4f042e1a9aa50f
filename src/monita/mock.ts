import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SERVICE_LINES, type ServiceLine } from '../domain/service-lines.js';
import { type CreateTicketInput, createTicketInputSchema, isMonitaTicketId, type MonitaStatus } from './feed.js';
import { hash32, type PlannedStage, planStages, prng } from './stages.js';

/**
 * The mock MONITA: a real HTTP server speaking the ⚓ feed (DESIGN §5).
 *
 * Determinism: a ticket's stages (texts and offsets) come from a PRNG seeded by the mock's seed
 * and the ticket's creation index, and its id from the seed too; the same seed, speed and creation
 * order give the same story. Stage times are creation time + offset / speed on the mock's clock.
 *
 * The feed is an append-only log: when a request comes, every stage whose time has come is
 * appended (ordered by time, then ticket, then stage), and the cursor is the position in that log
 * prefixed by an epoch of this mock instance. A cursor from another instance (posko restarted its
 * in-process mock) reads from the start. Paging with `since` is therefore stable: what was served
 * before a cursor never changes and nothing is skipped.
 *
 * Update ids are `<ticket>-<n>-<epoch>`, unique to this instance for the same reason.
 *
 * Linking (decision): an id that posko links with `monita=IN…` may be unknown to the mock. The mock
 * then registers it on first sight, starting at OPEN "now": `POST /api/tickets` accepts an optional
 * `ticketId` to register an existing id (idempotent), and `GET /api/tickets/<id>` registers a
 * well-formed unknown id (`autoCreate`, on by default) so a linked ticket always gets progress.
 */

export interface MonitaMockOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  seed?: number | string;
  /** Multiplies the clock: 60 makes a minute of stages pass in a second. Default 1. */
  speed?: number;
  clock?: () => Date;
  /** Register well-formed unknown ids on GET /api/tickets/<id>. Default true. */
  autoCreate?: boolean;
  /** Fault tickets that already exist when the mock starts (e.g. ids agents will link). */
  preexisting?: SeedTicket[];
  /** Do not keep the process alive for the server (the in-process mock of a one-shot job). */
  unref?: boolean;
}

export interface SeedTicket {
  ticketId?: string;
  service?: ServiceLine;
  customerId?: string;
  symptom?: string;
  /** How long ago (real ms, before speed) the ticket was created; stages already past show at once. */
  ageMs?: number;
}

export interface MockStage extends PlannedStage {
  updateId: string;
  at: Date;
}

export interface MonitaMock {
  url: string;
  port: number;
  close(): Promise<void>;
  createTicket(input: CreateTicketInput): string;
  /** Register a ticket (an existing id or a new one); idempotent for a known id. */
  seedTicket(seed?: SeedTicket): string;
  /** The planned stages of a ticket with their times, for tests and the CLI. */
  plan(ticketId: string): MockStage[] | null;
}

interface MockTicket {
  ticketId: string;
  index: number;
  createdAtMs: number;
  stages: MockStage[];
}

interface FeedItem {
  id: string;
  ticketId: string;
  status: MonitaStatus;
  stage: string;
  note: string;
  updatedAt: string;
}

interface Pending {
  atMs: number;
  ticketIndex: number;
  stageIndex: number;
  ticket: MockTicket;
}

const MAX_LIMIT = 500;
const DEFAULT_LIMIT = 50;

export function createMonitaMockState(opts: Omit<MonitaMockOptions, 'port' | 'host'> = {}) {
  const seed = String(opts.seed ?? 1);
  const speed = opts.speed && opts.speed > 0 ? opts.speed : 1;
  const clock = opts.clock ?? (() => new Date());
  const autoCreate = opts.autoCreate ?? true;
  const epoch = hash32(`epoch:${seed}:${speed}:${clock().getTime()}`).toString(36);
  const tickets = new Map<string, MockTicket>();
  const byIndex: MockTicket[] = [];
  const log: FeedItem[] = [];
  let pending: Pending[] = [];
  const idBase = 100_000_000 + (hash32(`ids:${seed}`) % 800_000_000);

  const nextId = () => {
    for (let n = byIndex.length; ; n++) {
      const id = `IN${idBase + n}`;
      if (!tickets.has(id)) return id;
    }
  };

  function register(input: SeedTicket): string {
    if (input.ticketId && tickets.has(input.ticketId)) return input.ticketId;
    const index = byIndex.length;
    const r = prng(hash32(`${seed}:${index}`));
    const ticketId = input.ticketId ?? nextId();
    const service = input.service ?? SERVICE_LINES[hash32(ticketId) % SERVICE_LINES.length]!;
    const createdAtMs = clock().getTime() - (input.ageMs ?? 0);
    const stages = planStages(service, input.symptom ?? 'Layanan gangguan', r).map((s, i) => {
      const atMs = createdAtMs + Math.round(s.offsetMs / speed);
      // The epoch in the id: a restarted in-process mock (same seed, kept database) must not
      // reuse update ids posko has already applied.
      return { ...s, updateId: `${ticketId}-${i + 1}-${epoch}`, at: new Date(atMs) };
    });
    const ticket: MockTicket = { ticketId, index, createdAtMs, stages };
    tickets.set(ticketId, ticket);
    byIndex.push(ticket);
    pending.push(...stages.map((s, stageIndex) => ({ atMs: s.at.getTime(), ticketIndex: index, stageIndex, ticket })));
    return ticketId;
  }

  /** Append every stage whose time has come to the log, in a stable order. */
  function materialise(): void {
    const now = clock().getTime();
    const due = pending.filter((p) => p.atMs <= now);
    if (due.length === 0) return;
    pending = pending.filter((p) => p.atMs > now);
    due.sort((a, b) => a.atMs - b.atMs || a.ticketIndex - b.ticketIndex || a.stageIndex - b.stageIndex);
    for (const p of due) {
      const s = p.ticket.stages[p.stageIndex]!;
      log.push({
        id: s.updateId,
        ticketId: p.ticket.ticketId,
        status: s.status,
        stage: s.stage,
        note: s.note,
        updatedAt: s.at.toISOString(),
      });
    }
  }

  /** Parses `since`; a cursor of another mock instance reads from the start. Null: malformed. */
  function position(since: string | null): number | null {
    if (!since) return 0;
    const m = /^([0-9a-z]+)-(\d{1,12})$/.exec(since);
    if (!m) return null;
    if (m[1] !== epoch) return 0;
    return Math.min(Number(m[2]), log.length);
  }

  function updates(since: string | null, limit: number) {
    materialise();
    const from = position(since);
    if (from === null) return null;
    const page = log.slice(from, from + limit);
    return { updates: page, nextCursor: `${epoch}-${from + page.length}` };
  }

  function ticketState(ticketId: string) {
    let t = tickets.get(ticketId);
    if (!t && autoCreate && isMonitaTicketId(ticketId)) t = tickets.get(register({ ticketId }));
    if (!t) return null;
    const now = clock().getTime();
    const current = [...t.stages].reverse().find((s) => s.at.getTime() <= now) ?? t.stages[0]!;
    return { ticketId, status: current.status, stage: current.stage, updatedAt: current.at.toISOString() };
  }

  for (const p of opts.preexisting ?? []) register(p);

  return {
    register,
    updates,
    ticketState,
    plan: (ticketId: string): MockStage[] | null => tickets.get(ticketId)?.stages.map((s) => ({ ...s })) ?? null,
  };
}

export type MonitaMockState = ReturnType<typeof createMonitaMockState>;

export async function startMonitaMock(opts: MonitaMockOptions = {}): Promise<MonitaMock> {
  const state = createMonitaMockState(opts);
  const server = createServer((req, res) => {
    handle(state, req, res).catch((err) => send(res, 500, { error: String((err as Error)?.message ?? err) }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  if (opts.unref) server.unref();
  const { port } = server.address() as AddressInfo;
  const host = opts.host && opts.host !== '0.0.0.0' ? opts.host : '127.0.0.1';
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
    createTicket: (input) => state.register(createTicketInputSchema.parse(input)),
    seedTicket: (seed = {}) => state.register(seed),
    plan: state.plan,
  };
}

async function handle(state: MonitaMockState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://mock');
  if (req.method === 'GET' && url.pathname === '/api/updates') {
    const rawLimit = url.searchParams.get('limit');
    const limit = rawLimit === null || rawLimit === '' ? DEFAULT_LIMIT : Number(rawLimit);
    if (!Number.isInteger(limit) || limit < 1) return send(res, 400, { error: 'limit: a whole number above 0' });
    const page = state.updates(url.searchParams.get('since'), Math.min(limit, MAX_LIMIT));
    if (!page) return send(res, 400, { error: 'since: not a cursor of this feed' });
    return send(res, 200, page);
  }
  const ticketPath = /^\/api\/tickets\/([^/]+)$/.exec(url.pathname);
  if (req.method === 'GET' && ticketPath) {
    const found = state.ticketState(decodeURIComponent(ticketPath[1]!));
    return found ? send(res, 200, found) : send(res, 404, { error: 'ticket not found' });
  }
  if (req.method === 'POST' && url.pathname === '/api/tickets') {
    let body: unknown;
    try {
      body = JSON.parse(await readBody(req));
    } catch {
      return send(res, 400, { error: 'body: JSON expected' });
    }
    const parsed = createTicketInputSchema.safeParse(body);
    if (!parsed.success) return send(res, 400, { error: parsed.error.issues[0]?.message ?? 'invalid body' });
    // Extension of the mock: register an id that already exists elsewhere (a linked ticket).
    const given = (body as { ticketId?: unknown }).ticketId;
    if (given !== undefined && (typeof given !== 'string' || !isMonitaTicketId(given)))
      return send(res, 400, { error: 'ticketId: IN and digits' });
    const ticketId = state.register({ ...parsed.data, ticketId: given as string | undefined });
    return send(res, 201, { ticketId });
  }
  if (req.method === 'GET' && url.pathname === '/healthz') return send(res, 200, { ok: true });
  return send(res, 404, { error: 'not found' });
}

function readBody(req: IncomingMessage, max = 64 * 1024): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) {
        reject(new Error('body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
