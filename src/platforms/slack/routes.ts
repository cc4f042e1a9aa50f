import type { CustomRoute } from '@slack/bolt';
import { sql } from 'drizzle-orm';
import { Registry } from 'prom-client';
import type { Core } from '../../app.js';
import { outboxRegistry } from '../../outbox/metrics.js';
import type { SlackMetrics } from './metrics.js';

/** GET /healthz: 200 when the database answers, 503 when it does not. */
export function healthRoute(core: Core): CustomRoute {
  return {
    path: '/healthz',
    method: ['GET'],
    handler: (_req, res) => {
      core.db.execute(sql`select 1`).then(
        () => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ status: 'ok' }));
        },
        (err: unknown) => {
          core.log.warn({ err: (err as Error).message }, 'health check: database unavailable');
          res.writeHead(503, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ status: 'unavailable' }));
        },
      );
    },
  };
}

/** GET /metrics: Prometheus text — the Slack adapter's metrics and the outbox worker's counters. */
export function metricsRoute(metrics: SlackMetrics): CustomRoute {
  return {
    path: '/metrics',
    method: ['GET'],
    handler: (_req, res) => {
      const registry = Registry.merge([metrics.registry, outboxRegistry]);
      registry.metrics().then(
        (text) => {
          res.writeHead(200, { 'content-type': registry.contentType });
          res.end(text);
        },
        (err: unknown) => {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(String(err));
        },
      );
    },
  };
}
