import { Counter, Gauge, Registry } from 'prom-client';

/** MONITA poll metrics, in a registry of their own (merged by /metrics, like the outbox's). */
export const monitaRegistry = new Registry();

export const monitaMetrics = {
  pages: new Counter({
    name: 'posko_monita_poll_pages_total',
    help: 'MONITA pages fetched and applied',
    registers: [monitaRegistry],
  }),
  errors: new Counter({
    name: 'posko_monita_poll_errors_total',
    help: 'MONITA polls that ended early because the feed was down, slow or answered garbage',
    registers: [monitaRegistry],
  }),
  lag: new Gauge({
    name: 'posko_monita_poll_lag_seconds',
    help: 'Age of the newest MONITA update in the last page fetched (0 when the page brought nothing new)',
    registers: [monitaRegistry],
  }),
};

/** After a page: count it and note how far behind the feed its newest update was. */
export function recordMonitaPage(updatedAt: readonly string[], now: Date): void {
  monitaMetrics.pages.inc();
  const newest = Math.max(...updatedAt.map((at) => Date.parse(at)).filter(Number.isFinite));
  monitaMetrics.lag.set(Number.isFinite(newest) ? Math.max(0, (now.getTime() - newest) / 1000) : 0);
}
