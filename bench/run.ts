/**
 * `npm run bench`: every benchmark in its own child process, one after another, then one table of
 * all their figures with the machine they ran on. `npm run bench -- B1 B5` runs a subset.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { type Figure, printTable, report } from './report.js';
import { postgresVersion } from './support/private-db.js';
import { ROOT } from './support/processes.js';

/** In this order; a file not (yet) in bench/ is skipped with a note. */
const BENCHES: { id: string; file: string }[] = [
  { id: 'B1', file: 'b1-command-path.ts' },
  { id: 'B2', file: 'b2-outbox.ts' },
  { id: 'B3', file: 'b3-monita-poll.ts' },
  { id: 'B4', file: 'b4-digest.ts' },
  { id: 'B5', file: 'b5-memory-start.ts' },
  { id: 'B6', file: 'b6-busy-channel.ts' },
];

const wanted = process.argv.slice(2).map((a) => a.toLowerCase().replace(/\.ts$/, ''));
const unknown = wanted.filter((w) => !BENCHES.some((b) => b.id.toLowerCase() === w || b.file === `${w}.ts`));
if (unknown.length) {
  console.error(`unknown benchmark: ${unknown.join(', ')} (known: ${BENCHES.map((b) => b.id).join(', ')})`);
  process.exit(2);
}
const selected = BENCHES.filter(
  (b) => wanted.length === 0 || wanted.includes(b.id.toLowerCase()) || wanted.includes(b.file.replace(/\.ts$/, '')),
);

const dir = mkdtempSync(join(tmpdir(), 'posko-bench-'));
const resultFile = join(dir, 'figures.jsonl');
const startedAt = new Date();
const loadAtStart = loadavg()[0] ?? 0;
const notes: string[][] = [];
let crashed = false;

for (const bench of selected) {
  const path = join(ROOT, 'bench', bench.file);
  if (!existsSync(path)) {
    notes.push([bench.id, bench.file, 'skipped: file not present']);
    continue;
  }
  console.log(`\n== ${bench.id} (bench/${bench.file}) ==`);
  const t0 = performance.now();
  const code = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path], {
      cwd: ROOT,
      env: { ...process.env, BENCH_RESULT_FILE: resultFile },
      stdio: 'inherit',
    });
    child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0)));
  });
  const took = `${((performance.now() - t0) / 1000).toFixed(0)} s`;
  if (code !== 0) crashed = true;
  notes.push([bench.id, bench.file, code === 0 ? `ran in ${took}` : `FAILED (exit ${code}) after ${took}`]);
}

const figures: Figure[] = existsSync(resultFile)
  ? readFileSync(resultFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Figure)
  : [];
rmSync(dir, { recursive: true, force: true });

console.log('\n== all figures ==');
delete process.env.BENCH_RESULT_FILE;
if (figures.length) report(figures);
else console.log('(no figures)');
console.log('');
printTable(['bench', 'file', 'run'], notes);

const pg = await postgresVersion().catch(() => 'unreachable');
const cpu = cpus();
console.log('');
console.log(
  `machine: ${cpu[0]?.model.trim() ?? 'unknown cpu'}, ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GB RAM`,
);
console.log(`node ${process.version}, PostgreSQL ${pg}, load average at start ${loadAtStart.toFixed(2)}`);
console.log(`date: ${startedAt.toISOString()}`);
console.log(
  `command: ${process.env.BENCH_SCALE ? `BENCH_SCALE=${process.env.BENCH_SCALE} ` : ''}npm run bench${wanted.length ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
);
process.exitCode = crashed ? 1 : 0;
