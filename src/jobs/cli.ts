import type { Config } from '../config.js';
import { connectMonita } from '../start.js';
import { openCoreAtStart } from '../startup.js';
import { findJob, jobNames } from './registry.js';
import { runJobNow } from './scheduler.js';

/** `npx posko job <name>`: run one job now, as its own process; a running posko delivers what it queues. */
export async function runJobCli(config: Config, args: string[]): Promise<number> {
  const name = args[0];
  const job = name ? findJob(name) : undefined;
  if (!job) {
    process.stderr.write(`usage: posko job <${jobNames().join('|')}>\n`);
    return 2;
  }
  const { core, close } = await openCoreAtStart({ config });
  const stopMonita = await connectMonita(core);
  try {
    const result = await runJobNow(core, job.name);
    process.stdout.write(`${job.name}: ${result.detail}\n`);
    return 0;
  } finally {
    await stopMonita();
    await close();
  }
}
