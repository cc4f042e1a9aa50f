import { Counter, Histogram, Registry } from 'prom-client';

/**
 * Job metrics, in a registry of their own (as the outbox's) so /metrics merges it and tests that
 * build several cores in one process never register a name twice.
 */
export const jobRegistry = new Registry();

const runs = new Counter({
  name: 'posko_job_runs_total',
  help: 'Job runs in this process (scheduled ticks won and manual runs), by job and outcome (ok, failed)',
  labelNames: ['job', 'outcome'] as const,
  registers: [jobRegistry],
});
const failures = new Counter({
  name: 'posko_job_failures_total',
  help: 'Job runs that threw, by job',
  labelNames: ['job'] as const,
  registers: [jobRegistry],
});
const duration = new Histogram({
  name: 'posko_job_duration_seconds',
  help: 'How long a job run took, by job',
  labelNames: ['job'] as const,
  buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
  registers: [jobRegistry],
});

/** Starts timing one run of `job`; call the returned function once with how it ended. */
export function timeJobRun(job: string): (ok: boolean) => void {
  const started = performance.now();
  return (ok) => {
    duration.observe({ job }, (performance.now() - started) / 1000);
    runs.inc({ job, outcome: ok ? 'ok' : 'failed' });
    if (!ok) failures.inc({ job });
  };
}
