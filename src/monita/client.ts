import {
  type CreateTicketInput,
  createTicketOutputSchema,
  type MonitaPage,
  type MonitaTicketState,
  type MonitaUpdate,
  monitaPageSchema,
  monitaTicketSchema,
  monitaUpdateSchema,
} from './feed.js';

/**
 * The MONITA client. A feed that is down, slow or answers garbage raises `MonitaUnavailable`
 * (the caller fails the tick quietly and catches up next time); a single bad item in a good page
 * is logged and skipped, never thrown.
 */

export class MonitaUnavailable extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'MonitaUnavailable';
  }
}

/** The subset of a pino logger the client uses. */
export interface MonitaLog {
  warn(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

export interface MonitaClientOptions {
  baseUrl: string;
  timeoutMs?: number;
  log?: MonitaLog;
}

export interface MonitaClient {
  readonly baseUrl: string;
  fetchUpdates(cursor: string | null, limit: number): Promise<MonitaPage>;
  /** The ticket's current state, or null when MONITA does not know it. */
  getTicket(ticketId: string): Promise<MonitaTicketState | null>;
  /** mock only: open a fault ticket (or register an existing id with `ticketId`). */
  createTicket(input: CreateTicketInput & { ticketId?: string }): Promise<string>;
}

const silent: MonitaLog = { warn() {}, debug() {} };

export function createMonitaClient(opts: MonitaClientOptions): MonitaClient {
  const baseUrl = opts.baseUrl.replace(/\/+$/, '');
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const log = opts.log ?? silent;

  async function request(path: string, init: RequestInit = {}): Promise<{ status: number; body: unknown }> {
    let res: Response;
    let text: string;
    try {
      // One timeout covers connecting and reading the body: a feed that stalls mid-body is slow too.
      const signal = AbortSignal.timeout(timeoutMs);
      res = await fetch(`${baseUrl}${path}`, {
        ...init,
        signal,
        headers: { accept: 'application/json', ...init.headers },
      });
      text = await res.text();
    } catch (err) {
      const e = err as Error;
      const why = e.name === 'TimeoutError' || e.name === 'AbortError' ? `timed out after ${timeoutMs} ms` : e.message;
      throw new MonitaUnavailable(`MONITA ${path}: ${why}`);
    }
    if (res.status >= 500) throw new MonitaUnavailable(`MONITA ${path}: HTTP ${res.status}`, res.status);
    let body: unknown;
    try {
      body = text === '' ? null : JSON.parse(text);
    } catch {
      throw new MonitaUnavailable(`MONITA ${path}: HTTP ${res.status} with a body that is not JSON`, res.status);
    }
    return { status: res.status, body };
  }

  return {
    baseUrl,

    async fetchUpdates(cursor, limit) {
      const q = new URLSearchParams({ limit: String(limit) });
      if (cursor) q.set('since', cursor);
      const path = `/api/updates?${q}`;
      const { status, body } = await request(path);
      if (status !== 200) throw new MonitaUnavailable(`MONITA ${path}: HTTP ${status}`, status);
      const envelope = monitaPageSchema.safeParse(body);
      if (!envelope.success) throw new MonitaUnavailable(`MONITA ${path}: not an updates page`, status);
      const updates: MonitaUpdate[] = [];
      let skipped = 0;
      for (const [i, item] of envelope.data.updates.entries()) {
        const parsed = monitaUpdateSchema.safeParse(item);
        if (parsed.success) updates.push(parsed.data);
        else {
          skipped++;
          const id = (item as { id?: unknown } | null)?.id;
          log.warn(
            {
              monitaItem: i,
              monitaUpdateId: typeof id === 'string' ? id : null,
              problem: parsed.error.issues[0]?.message,
            },
            'MONITA update skipped: not a valid update',
          );
        }
      }
      return {
        updates,
        nextCursor: envelope.data.nextCursor,
        skipped,
        received: envelope.data.updates.length,
      };
    },

    async getTicket(ticketId) {
      const path = `/api/tickets/${encodeURIComponent(ticketId)}`;
      const { status, body } = await request(path);
      if (status === 404) return null;
      if (status !== 200) throw new MonitaUnavailable(`MONITA ${path}: HTTP ${status}`, status);
      const parsed = monitaTicketSchema.safeParse(body);
      if (!parsed.success) throw new MonitaUnavailable(`MONITA ${path}: not a ticket`, status);
      return parsed.data;
    },

    async createTicket(input) {
      const path = '/api/tickets';
      const { status, body } = await request(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(input),
      });
      if (status !== 200 && status !== 201) throw new MonitaUnavailable(`MONITA ${path}: HTTP ${status}`, status);
      const parsed = createTicketOutputSchema.safeParse(body);
      if (!parsed.success) throw new MonitaUnavailable(`MONITA ${path}: no ticket id in the answer`, status);
      return parsed.data.ticketId;
    },
  };
}
