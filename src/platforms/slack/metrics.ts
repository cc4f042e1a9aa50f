import { count, eq } from 'drizzle-orm';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Core } from '../../app.js';
import { outbox } from '../../db/schema.js';

/** What /metrics shows: commands by name and outcome, how fast Slack got its ack, outbox depth. */
export interface SlackMetrics {
  registry: Registry;
  commands: Counter<'command' | 'outcome' | 'via'>;
  ackSeconds: Histogram<'kind'>;
}

export function createMetrics(core: Core): SlackMetrics {
  // A registry per app, not the global one: tests build several apps in one process.
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'posko_' });
  const commands = new Counter({
    name: 'posko_commands_total',
    help: 'Commands received, by subcommand and outcome (ok, an error code, or duplicate)',
    labelNames: ['command', 'outcome', 'via'] as const,
    registers: [registry],
  });
  const ackSeconds = new Histogram({
    name: 'posko_slack_ack_seconds',
    help: 'Time from receiving a Slack request to acknowledging it (Slack allows 3 s)',
    labelNames: ['kind'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3],
    registers: [registry],
  });
  new Gauge({
    name: 'posko_outbox_depth',
    help: 'Outbox messages waiting to be delivered, by platform',
    labelNames: ['platform'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      try {
        const rows = await core.db
          .select({ platform: outbox.platform, n: count() })
          .from(outbox)
          .where(eq(outbox.status, 'pending'))
          .groupBy(outbox.platform);
        for (const row of rows) this.set({ platform: row.platform }, Number(row.n));
      } catch (err) {
        // A scrape must not fail because the database is away; the gauge is simply empty.
        core.log.warn({ err: (err as Error).message }, 'outbox depth unavailable for /metrics');
      }
    },
  });
  return { registry, commands, ackSeconds };
}
