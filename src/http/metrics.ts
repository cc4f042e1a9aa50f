import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { jobRegistry } from '../jobs/metrics.js';
import { monitaRegistry } from '../monita/metrics.js';
import { outboxRegistry } from '../outbox/metrics.js';
import type { HealthProbe } from './health.js';

/**
 * The registry of one posko HTTP server: the process (prefixed posko_), the database and outbox
 * as the health probe last saw them, and the module registries of jobs, MONITA and the outbox.
 * The outbox gauges read the probe's cache, so a scrape never waits on the database.
 */
export function createServerRegistry(probe: HealthProbe): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'posko_' });
  new Gauge({
    name: 'posko_database_up',
    help: '1 when the last health probe reached the database within its timeout, else 0',
    registers: [registry],
    collect() {
      this.set(probe.state().database.state === 'ok' ? 1 : 0);
    },
  });
  const outboxGauge = (
    name: string,
    help: string,
    pick: (o: ReturnType<HealthProbe['state']>['outbox'][number]) => number,
  ) =>
    new Gauge({
      name,
      help,
      labelNames: ['platform'] as const,
      registers: [registry],
      collect() {
        this.reset();
        for (const o of probe.state().outbox) this.set({ platform: o.platform }, pick(o));
      },
    });
  outboxGauge('posko_outbox_depth', 'Outbox messages waiting to be delivered, by platform', (o) => o.pending);
  outboxGauge(
    'posko_outbox_oldest_age_seconds',
    'Age of the oldest outbox message still waiting, by platform',
    (o) => o.oldestAgeSeconds,
  );
  outboxGauge('posko_outbox_dead_messages', 'Outbox messages given up on (status dead), by platform', (o) => o.dead);
  return registry;
}

/** The server's registry with every module registry and what platforms add (Slack's commands). */
export function mergedRegistry(own: Registry, added: readonly Registry[]): Registry {
  return Registry.merge([own, jobRegistry, monitaRegistry, outboxRegistry, ...added]);
}
