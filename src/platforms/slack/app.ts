import { App, type AuthorizeResult, HTTPReceiver, type Receiver, SocketModeReceiver, webApi } from '@slack/bolt';
import type { Core } from '../../app.js';
import { type PoskoHttp, startHttpServer } from '../../http/server.js';
import { boltLogger } from './bolt-logger.js';
import { SlackDeliverer } from './deliverer.js';
import { registerHandlers } from './handlers.js';
import { createMetrics, type SlackMetrics } from './metrics.js';
import { guardSlackRequests } from './request-guard.js';

export interface SlackAppOptions {
  botToken: string;
  /** HTTP mode: requests to POST /slack/events are verified with it. */
  signingSecret?: string;
  /** Socket Mode instead of HTTP (an xapp- token). */
  appToken?: string;
  /** Web API base URL (SLACK_API_URL); Slack's own when unset. */
  apiUrl?: string;
  /** posko's HTTP server to mount POST /slack/events on (HTTP mode) and add metrics to. */
  http?: PoskoHttp;
  /** Without `http`: the port of a server of the app's own (/slack/events, /healthz, /metrics); 0 picks one. */
  port?: number;
}

const EVENTS_PATH = '/slack/events';

export interface SlackApp {
  app: App;
  mode: 'http' | 'socket';
  deliverer: SlackDeliverer;
  metrics: SlackMetrics;
  /** Listen (HTTP) or connect (Socket Mode); resolves with the HTTP port actually bound. */
  start(): Promise<{ port: number }>;
  stop(): Promise<void>;
  /** Resolves when every request handled so far has finished its work after the ack. */
  idle(): Promise<void>;
}

/**
 * The Slack adapter: Bolt turns Slack's requests into /tiket command runs and renders the replies.
 * It holds no business rule; channel and thread messages reach Slack through the outbox and
 * `deliverer`, while answers meant only for the caller go back ephemerally.
 */
export function createSlackApp(core: Core, opts: SlackAppOptions): SlackApp {
  const logger = boltLogger(core.log);
  const metrics = createMetrics();
  const apiOptions = opts.apiUrl ? { slackApiUrl: opts.apiUrl } : {};
  // Listener calls (views.open, chat.postEphemeral) answer a person now: a short retry, not Bolt's
  // default of ten over half an hour (a modal's trigger is void after 3 s anyway).
  const clientOptions: webApi.WebClientOptions = {
    ...apiOptions,
    retryConfig: { retries: 1, minTimeout: 300, maxTimeout: 1_000 },
    timeout: 10_000,
  };
  // Stamp each request on arrival, so the ack histogram measures what Slack waits for.
  const customPropertiesExtractor = () => ({ receivedAt: performance.now() });
  const mode = opts.appToken ? 'socket' : 'http';
  let ownServer: PoskoHttp | undefined;
  let receiver: Receiver;
  if (opts.appToken) {
    receiver = new SocketModeReceiver({
      appToken: opts.appToken,
      logger,
      // The Socket Mode client asks apps.connections.open for its URL through these options.
      installerOptions: { clientOptions: { ...apiOptions } },
      customPropertiesExtractor,
    });
  } else {
    if (!opts.signingSecret) throw new Error('SLACK_SIGNING_SECRET is required in HTTP mode');
    // Never started itself: posko's server hands it the requests to /slack/events, each one
    // checked by the guard (signature included) before Bolt sees it.
    receiver = new HTTPReceiver({
      signingSecret: opts.signingSecret,
      signatureVerification: false,
      endpoints: EVENTS_PATH,
      logger,
      customPropertiesExtractor,
    });
    guardSlackRequests(receiver as HTTPReceiver, { signingSecret: opts.signingSecret, log: core.log });
  }

  const app = new App({
    receiver,
    logger,
    authorize: lazyAuthorize(opts.botToken, apiOptions, core.log),
    clientOptions,
    // Bolt's conversation store is unused here, and its miss on every request builds an Error (B1).
    convoStore: false,
  });
  const deliverer = new SlackDeliverer(opts.botToken, { ...apiOptions, logger });
  const inflight = new Set<Promise<unknown>>();
  const track = <T>(work: Promise<T>): Promise<T> => {
    inflight.add(work);
    const done = () => inflight.delete(work);
    work.then(done, done);
    return work;
  };
  registerHandlers(app, { core, metrics, track });

  app.error(async (err) => {
    core.log.error({ err: err.message, code: (err as { code?: string }).code }, 'slack handler failed');
  });

  return {
    app,
    mode,
    deliverer,
    metrics,
    async start() {
      let http = opts.http;
      if (!http) {
        ownServer = await startHttpServer(core, { port: opts.port ?? 0 });
        http = ownServer;
      }
      http.addRegistry(metrics.registry);
      if (receiver instanceof HTTPReceiver) {
        const bolt = receiver;
        http.mount(EVENTS_PATH, (req, res) => {
          try {
            bolt.requestListener(req, res);
          } catch {
            // Bolt refuses what is not a POST to its endpoint.
            if (!res.headersSent) res.writeHead(404).end();
          }
        });
      } else {
        // Socket Mode has no inbound HTTP for Slack; operators still get /healthz and /metrics.
        await app.start();
      }
      ownServer?.setStarted(true);
      return { port: http.port };
    },
    async stop() {
      if (!(receiver instanceof HTTPReceiver)) await app.stop().catch(() => undefined);
      if (ownServer) {
        const s = ownServer;
        ownServer = undefined;
        await s.close();
      }
    },
    async idle() {
      while (inflight.size > 0) await Promise.allSettled([...inflight]);
    },
  };
}

/**
 * Bolt's default single-token authorize calls auth.test once at construction and caches even a
 * failure forever. This one asks on first use, quickly, and when Slack's API cannot answer it lets
 * the request through with the token alone (commands answer on response_url regardless) and asks
 * again next time.
 */
function lazyAuthorize(botToken: string, apiOptions: webApi.WebClientOptions, log: Core['log']) {
  const client = new webApi.WebClient(botToken, { ...apiOptions, retryConfig: { retries: 0 }, timeout: 2_000 });
  let known: AuthorizeResult | undefined;
  // A burst on a cold start shares one auth.test instead of asking once per request.
  let asking: Promise<AuthorizeResult> | undefined;
  const ask = async (): Promise<AuthorizeResult> => {
    try {
      const r = await client.auth.test();
      known = { botToken, botId: r.bot_id, botUserId: r.user_id, teamId: r.team_id };
      return known;
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'slack: auth.test failed; going on with the token alone');
      return { botToken };
    } finally {
      asking = undefined;
    }
  };
  return async (): Promise<AuthorizeResult> => {
    if (known) return known;
    asking ??= ask();
    return asking;
  };
}
