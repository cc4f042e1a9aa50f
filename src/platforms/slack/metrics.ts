import { Counter, Histogram, Registry } from 'prom-client';

/** What Slack adds to /metrics: commands by name and outcome, how fast Slack got its ack. */
export interface SlackMetrics {
  registry: Registry;
  commands: Counter<'command' | 'outcome' | 'via'>;
  ackSeconds: Histogram<'kind'>;
}

export function createMetrics(): SlackMetrics {
  // A registry per app, not the global one: tests build several apps in one process.
  const registry = new Registry();
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
  return { registry, commands, ackSeconds };
}
