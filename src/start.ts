import type { Core } from './app.js';
import type { Config } from './config.js';
import { recoverFromDriverDefect } from './db/driver-defect.js';
import { type PoskoHttp, startHttpServer } from './http/server.js';
import { startScheduler } from './jobs/scheduler.js';
import { createLogger } from './log.js';
import { createMonitaClient } from './monita/client.js';
import { startMonitaMock } from './monita/mock.js';
import { startOutboxWorker } from './outbox/worker.js';
import { createConsole } from './platforms/console/console.js';
import { PLATFORMS } from './platforms/runtime.js';
import { settleMockLinks } from './services/monita.js';
import { openCoreAtStart, StartupError } from './startup.js';

export interface StartOptions {
  json: boolean;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
}

/** `npx posko start`: Slack and/or Discord when configured, else the console; jobs and the outbox either way. */
export async function start(config: Config, opts: StartOptions): Promise<void> {
  const enabled = PLATFORMS.filter((p) => p.enabled(config));
  const consoleMode = enabled.length === 0;
  // The console is for people at a terminal: only warnings reach stderr unless LOG_LEVEL says otherwise.
  const level = consoleMode && !process.env.LOG_LEVEL?.trim() ? 'warn' : config.LOG_LEVEL;
  const log = createLogger(level);
  const { core, close } = await openCoreAtStart({ config, log });
  const stops: (() => Promise<void>)[] = [close];
  const stopAll = async () => {
    for (const stop of stops.reverse())
      await stop().catch((err) => log.warn({ err: (err as Error).message }, 'stop failed'));
  };
  process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled rejection'));
  process.on('uncaughtException', (err) => {
    if (recoverFromDriverDefect(err)) {
      log.warn({ err: err.message }, 'database connection lost mid-write; connection pool replaced');
      return;
    }
    // Anything else ends the process as Node would, after saying why.
    log.fatal({ err }, 'uncaught exception');
    process.exit(1);
  });

  try {
    const http = await listen(core, consoleMode);
    if (http) stops.push(() => http.close());
    stops.push(await connectMonita(core));
    const scheduler = startScheduler(core);
    stops.push(() => scheduler.stop());

    if (consoleMode) {
      const terminal = createConsole(core, {
        json: opts.json,
        input: opts.input ?? process.stdin,
        output: opts.output ?? process.stdout,
      });
      const timer = setInterval(() => void terminal.drainInBackground().catch(() => {}), 1000);
      stops.push(async () => clearInterval(timer));
      http?.setStarted(true);
      await terminal.run();
      await stopAll();
      return;
    }

    const running = [];
    for (const platform of enabled) {
      // Platforms always get the server: outside the console a port that cannot be bound stops start.
      const r = await platform.start(core, http as PoskoHttp);
      running.push(r);
      stops.push(() => r.stop());
      log.info({ platform: platform.name }, 'platform started');
    }
    const worker = startOutboxWorker(
      core,
      running.map((r) => r.deliverer),
    );
    stops.push(() => worker.stop());
    http?.setStarted(true);
    log.info({ port: http?.port }, 'posko ready');
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await stopAll();
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/**
 * posko's HTTP server on PORT (/healthz, /readyz, /metrics; Slack mounts its events on it). A port
 * that is taken stops a Slack or Discord start with one line; the console, for a person at a
 * terminal (perhaps a second one), says so once and goes on without it.
 */
async function listen(core: Core, consoleMode: boolean): Promise<PoskoHttp | undefined> {
  try {
    return await startHttpServer(core, { port: core.config.PORT });
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code !== 'EADDRINUSE' && code !== 'EACCES') throw err;
    const line = `PORT: ${core.config.PORT} cannot be bound (${code})`;
    if (!consoleMode) throw new StartupError(line);
    core.log.warn(`${line}; the console runs without /healthz, /readyz and /metrics`);
    return undefined;
  }
}

/** MONITA_URL, or the mock served in-process on a free port and read over HTTP like the real one. */
export async function connectMonita(core: Core): Promise<() => Promise<void>> {
  const log = {
    warn: (o: object, m: string) => core.log.warn(o, m),
    debug: (o: object, m: string) => core.log.debug(o, m),
  };
  if (core.config.MONITA_URL) {
    core.monita = createMonitaClient({ baseUrl: core.config.MONITA_URL, timeoutMs: 5000, log });
    return async () => {};
  }
  // A fresh seed per start: a restart on a kept database never sees the same IN ids again.
  const mock = await startMonitaMock({ port: 0, seed: `posko:${Date.now()}`, speed: 1, unref: true });
  core.monita = createMonitaClient({ baseUrl: mock.url, timeoutMs: 5000, log });
  core.log.info({ url: mock.url }, 'MONITA mock started in-process');
  return async () => {
    await settleMockLinks();
    await mock.close();
  };
}
