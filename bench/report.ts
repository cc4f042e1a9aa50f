/**
 * One way for every benchmark to print its figures: a table on stdout, and, when the runner
 * (`npm run bench`) sets BENCH_RESULT_FILE, the same rows appended as JSON lines so the runner
 * can print one summary table across all benchmarks.
 */
import { appendFileSync } from 'node:fs';

export interface Figure {
  /** Benchmark id, e.g. 'B1'. */
  bench: string;
  metric: string;
  value: number;
  unit: string;
  /** The goal in words, e.g. '≥ 0.5' or '< 150 ms'; absent when the figure has none. */
  goal?: string;
  /** Whether the goal is met; absent when the figure has no goal. */
  met?: boolean;
}

export function report(figures: Figure[]): void {
  const rows = figures.map((f) => [
    f.bench,
    f.metric,
    formatValue(f.value),
    f.unit,
    f.goal ?? '',
    f.met === undefined ? '' : f.met ? 'met' : 'MISSED',
  ]);
  printTable(['bench', 'metric', 'value', 'unit', 'goal', ''], rows);
  const file = process.env.BENCH_RESULT_FILE;
  if (file) appendFileSync(file, figures.map((f) => `${JSON.stringify(f)}\n`).join(''));
}

export function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (c ?? '').padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}

function formatValue(v: number): string {
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toFixed(3);
}

/** The p-th percentile (0..100) of a list of numbers, by nearest rank. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}
