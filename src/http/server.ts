import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { Core } from '../app.js';
import { createHealthProbe, type HealthProbe, type HealthProbeOptions } from './health.js';
import { createServerRegistry, mergedRegistry } from './metrics.js';

/** Serves one path (any method) for a platform, e.g. Slack's POST /slack/events. */
export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

export interface PoskoHttp {
  /** The port bound (PORT, or the one picked for 0). */
  port: number;
  probe: HealthProbe;
  /** Hands every request to `path` to `handler`. */
  mount(path: string, handler: RequestHandler): void;
  /** Adds a platform's metrics to /metrics. */
  addRegistry(registry: Registry): void;
  /** Start-up finished (platforms connected): /readyz may say ready. */
  setStarted(started: boolean): void;
  close(): Promise<void>;
}

export interface HttpServerOptions {
  port: number;
  probe?: HealthProbeOptions;
}

/**
 * posko's own HTTP server, in every mode: GET /healthz (liveness, from the probe's cache),
 * GET /readyz (database reachable, migrations applied, start-up done), GET /metrics
 * (Prometheus), and whatever a platform mounts beside them.
 */
export async function startHttpServer(core: Core, opts: HttpServerOptions): Promise<PoskoHttp> {
  const probe = createHealthProbe(core, opts.probe);
  const own = createServerRegistry(probe);
  const added: Registry[] = [];
  const mounts = new Map<string, RequestHandler>();
  let started = false;

  const readiness = () => {
    const s = probe.state();
    const reasons = [
      ...(s.database.state === 'ok' ? [] : [`database ${s.database.state}`]),
      ...(s.migrations.applied === false ? ['migrations not applied'] : []),
      ...(s.migrations.applied === null && s.database.state === 'ok' ? ['migrations unknown'] : []),
      ...(started ? [] : ['starting']),
    ];
    return { ready: reasons.length === 0, reasons };
  };

  const routes: Record<string, (res: ServerResponse) => void> = {
    '/healthz': (res) => {
      const s = probe.state();
      // Alive as long as this answers; `degraded` tells the database is away without failing the process.
      json(res, 200, { status: s.database.state === 'ok' ? 'ok' : 'degraded', ...s });
    },
    '/readyz': (res) => {
      const r = readiness();
      json(res, r.ready ? 200 : 503, { status: r.ready ? 'ready' : 'not ready', reasons: r.reasons });
    },
    '/metrics': (res) => {
      const registry = mergedRegistry(own, added);
      registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
        (err: unknown) => {
          core.log.warn({ err: (err as Error).message }, 'metrics could not be collected');
          res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable\n');
        },
      );
    },
  };

  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const mounted = mounts.get(path);
    if (mounted) return mounted(req, res);
    const route = routes[path];
    if (route && (req.method === 'GET' || req.method === 'HEAD')) return route(res);
    res.writeHead(route ? 405 : 404, { 'content-type': 'text/plain' }).end(route ? 'GET only\n' : 'not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, () => {
      server.off('error', reject);
      resolve();
    });
  });
  probe.start();

  return {
    port: (server.address() as AddressInfo).port,
    probe,
    mount: (path, handler) => mounts.set(path, handler),
    addRegistry: (registry) => added.push(registry),
    setStarted: (value) => {
      started = value;
    },
    async close() {
      probe.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}
