import { Counter, Registry } from 'prom-client';

/**
 * Outbox counters, in a registry of their own so any /metrics endpoint can merge it
 * (`Registry.merge([appRegistry, outboxRegistry])`) without double registration in tests.
 */
export const outboxRegistry = new Registry();

const counter = (name: string, help: string) =>
  new Counter({ name, help, labelNames: ['platform'] as const, registers: [outboxRegistry] });

export const outboxMetrics = {
  sent: counter('posko_outbox_sent_total', 'Outbox messages delivered'),
  retries: counter('posko_outbox_retries_total', 'Outbox deliveries that failed and will be retried with backoff'),
  rateLimited: counter(
    'posko_outbox_rate_limited_total',
    'Outbox deliveries answered 429; the channel waits Retry-After',
  ),
  dead: counter(
    'posko_outbox_dead_total',
    'Outbox messages given up: a permanent platform error, or the maximum attempts (kept with status dead)',
  ),
};
