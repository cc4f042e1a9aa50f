import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A misbehaving MONITA feed for tests: a real HTTP server serving a log of raw items (valid or
 * not) by cursor `c<n>`, with failures queued on demand: HTTP errors, a hang, a body that is not
 * JSON, a page without the envelope. Items are whatever the test pushes, so repeats and
 * out-of-order updates are just entries in `log`.
 */
export type Failure =
  | { kind: 'status'; status: number }
  | { kind: 'hang' }
  | { kind: 'garbage' }
  | { kind: 'body'; body: unknown };

export interface FakeFeed {
  url: string;
  /** Raw items served in order; push to publish. */
  log: unknown[];
  /** Queued failures, consumed one per /api/updates request. */
  fail(...failures: Failure[]): void;
  /** `since` of every /api/updates request seen. */
  requests: (string | null)[];
  tickets: Map<string, unknown>;
  created: unknown[];
  close(): Promise<void>;
}

export async function startFakeFeed(): Promise<FakeFeed> {
  const log: unknown[] = [];
  const failures: Failure[] = [];
  const requests: (string | null)[] = [];
  const tickets = new Map<string, unknown>();
  const created: unknown[] = [];
  const hanging = new Set<ServerResponse>();

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    if (url.pathname === '/api/updates') {
      const since = url.searchParams.get('since');
      requests.push(since);
      const failure = failures.shift();
      if (failure?.kind === 'hang') {
        hanging.add(res);
        return;
      }
      if (failure?.kind === 'status') return json(res, failure.status, { error: 'boom' });
      if (failure?.kind === 'garbage') {
        res.writeHead(200, { 'content-type': 'text/html' });
        return res.end('<html>502 Bad Gateway</html>');
      }
      if (failure?.kind === 'body') return json(res, 200, failure.body);
      const from = since ? Number(since.slice(1)) : 0;
      const limit = Number(url.searchParams.get('limit') ?? '50');
      const page = log.slice(from, from + limit);
      return json(res, 200, { updates: page, nextCursor: `c${from + page.length}` });
    }
    const t = /^\/api\/tickets\/([^/]+)$/.exec(url.pathname);
    if (t && req.method === 'GET') {
      const found = tickets.get(decodeURIComponent(t[1]!));
      return found ? json(res, 200, found) : json(res, 404, { error: 'not found' });
    }
    if (url.pathname === '/api/tickets' && req.method === 'POST') {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const input = JSON.parse(body) as { ticketId?: string };
        created.push(input);
        json(res, 201, { ticketId: input.ticketId ?? `IN${700000000 + created.length}` });
      });
      return;
    }
    json(res, 404, { error: 'not found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    fail: (...f) => failures.push(...f),
    requests,
    tickets,
    created,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A valid feed item; override any field (or break it) per test. */
export function feedItem(id: string, ticketId: string, status: string, over: Record<string, unknown> = {}) {
  return {
    id,
    ticketId,
    status,
    stage: `Tahap ${status}`,
    note: `Catatan ${id}`,
    updatedAt: '2026-03-02T01:00:00.000Z',
    ...over,
  };
}
