import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  App,
  type AuthorizeResult,
  type CustomRoute,
  HTTPReceiver,
  type Receiver,
  SocketModeReceiver,
  webApi,
} from '@slack/bolt';
import type { Core } from '../../app.js';
import { type Invocation, type Outcome, runCommandLine, runWithForm } from '../../command/dispatch.js';
import { ACTION_PREFIX, parseButtonValue } from './blocks.js';
import { boltLogger } from './bolt-logger.js';
import { commandText } from './command-text.js';
import { SlackDeliverer } from './deliverer.js';
import { createMetrics, type SlackMetrics } from './metrics.js';
import { FORM_CALLBACK, formValues, readFormContext } from './modal.js';
import { type ReplyTarget, SlackReplies } from './replies.js';
import { healthRoute, metricsRoute } from './routes.js';

export interface SlackAppOptions {
  botToken: string;
  /** HTTP mode: requests to POST /slack/events are verified with it. */
  signingSecret?: string;
  /** Socket Mode instead of HTTP (an xapp- token). */
  appToken?: string;
  /** Web API base URL (SLACK_API_URL); Slack's own when unset. */
  apiUrl?: string;
  /** Where /slack/events (HTTP mode), /healthz and /metrics listen; 0 picks a free port. */
  port: number;
}

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

type Source = 'command' | 'button' | 'form' | 'mention';

/**
 * The Slack adapter: Bolt turns Slack's requests into /tiket command runs and renders the replies.
 * It holds no business rule; channel and thread messages reach Slack through the outbox and
 * `deliverer`, while answers meant only for the caller go back ephemerally.
 */
export function createSlackApp(core: Core, opts: SlackAppOptions): SlackApp {
  const logger = boltLogger(core.log);
  const metrics = createMetrics(core);
  const clientOptions = opts.apiUrl ? { slackApiUrl: opts.apiUrl } : {};
  const routes: CustomRoute[] = [healthRoute(core), metricsRoute(metrics)];
  // Stamp each request on arrival, so the ack histogram measures what Slack waits for.
  const customPropertiesExtractor = () => ({ receivedAt: performance.now() });
  const mode = opts.appToken ? 'socket' : 'http';
  let sideServer: Server | undefined;
  let receiver: Receiver;
  if (opts.appToken) {
    receiver = new SocketModeReceiver({
      appToken: opts.appToken,
      logger,
      // The Socket Mode client asks apps.connections.open for its URL through these options.
      installerOptions: { clientOptions },
      customPropertiesExtractor,
    });
  } else {
    if (!opts.signingSecret) throw new Error('SLACK_SIGNING_SECRET is required in HTTP mode');
    receiver = new HTTPReceiver({
      signingSecret: opts.signingSecret,
      endpoints: '/slack/events',
      port: opts.port,
      customRoutes: routes,
      logger,
      customPropertiesExtractor,
    });
  }

  const app = new App({ receiver, logger, authorize: lazyAuthorize(opts.botToken, clientOptions), clientOptions });
  const deliverer = new SlackDeliverer(opts.botToken, { ...clientOptions, logger });
  const replies = new SlackReplies(core);
  const inflight = new Set<Promise<unknown>>();
  const track = <T>(work: Promise<T>): Promise<T> => {
    inflight.add(work);
    work.then(
      () => inflight.delete(work),
      () => inflight.delete(work),
    );
    return work;
  };
  const ackTimer = (context: Record<string, unknown>, kind: string) => () => {
    const at = typeof context.receivedAt === 'number' ? context.receivedAt : performance.now();
    metrics.ackSeconds.observe({ kind }, (performance.now() - at) / 1000);
  };
  const count = (outcome: Outcome, via: Source) =>
    metrics.commands.inc({
      command: outcome.command ?? 'unknown',
      outcome: outcome.duplicate ? 'duplicate' : (outcome.error ?? 'ok'),
      via,
    });

  // /tiket …: ack at once (Slack allows 3 s), then run; the answer follows on response_url.
  app.command('/tiket', (args) =>
    track(
      (async () => {
        const { command, ack, respond, client, context } = args;
        await ack();
        ackTimer(context, 'command')();
        const inv = invocation(command.user_id, command.channel_id, command.trigger_id);
        const outcome = await runCommandLine(core, inv, commandText(command.text));
        count(outcome, 'command');
        if (outcome.duplicate) return;
        const target: ReplyTarget = {
          client,
          respond,
          triggerId: command.trigger_id,
          channel: command.channel_id,
          userId: command.user_id,
        };
        await replies.send(outcome.replies, target, { line: command.text });
      })(),
    ),
  );

  // A button: run its command as the clicker, or first collect the fields of its form.
  app.action(new RegExp(`^${ACTION_PREFIX.replace('.', '\\.')}`), (args) =>
    track(
      (async () => {
        const { ack, body, action, respond, client, context } = args;
        await ack();
        ackTimer(context, 'button')();
        if (body.type !== 'block_actions' || action.type !== 'button') return;
        const payload = parseButtonValue(action.value);
        const channel = body.channel?.id ?? body.container?.channel_id ?? '';
        const target: ReplyTarget = { client, respond, triggerId: body.trigger_id, channel, userId: body.user.id };
        if (!payload) return;
        if (payload.f) {
          await replies.openForm(payload.f, target, payload.c);
          return;
        }
        const outcome = await runCommandLine(core, invocation(body.user.id, channel, body.trigger_id), payload.c);
        count(outcome, 'button');
        if (!outcome.duplicate) await replies.send(outcome.replies, target, { line: payload.c });
      })(),
    ),
  );

  // A modal's submission: a bad field is answered in the modal, next to that field.
  app.view(FORM_CALLBACK, (args) =>
    track(
      (async () => {
        const { ack, body, view, client, context } = args;
        const ctx = readFormContext(view.private_metadata);
        if (!ctx) {
          await ack();
          return;
        }
        const values = formValues(view.state.values as never);
        const triggerId = (body as { trigger_id?: string }).trigger_id ?? `${view.id}:${view.hash}`;
        const outcome = await runWithForm(core, invocation(body.user.id, ctx.channel, triggerId), ctx.line, values);
        count(outcome, 'form');
        const fieldNames = Object.keys(view.state.values);
        const fieldErrors = outcome.error === 'invalid_input' ? replies.fieldErrors(outcome, fieldNames) : undefined;
        await ack(fieldErrors ? { response_action: 'errors', errors: fieldErrors } : undefined);
        ackTimer(context, 'form')();
        if (fieldErrors || outcome.duplicate) return;
        await replies.send(
          outcome.replies,
          { client, triggerId, channel: ctx.channel, userId: body.user.id },
          { line: ctx.line },
        );
      })(),
    ),
  );

  // "@posko lihat GGN-000042": the text after the mention is a command line. Bolt acks events
  // itself; Slack retries unacked ones with the same event_id, which the dispatcher dedupes.
  app.event('app_mention', (args) =>
    track(
      (async () => {
        const { event, body, client, context } = args;
        if (!event.user) return;
        const line = commandText(
          event.text.replace(new RegExp(`^\\s*<@${context.botUserId ?? '[UW][A-Z0-9]+'}(?:\\|[^>]*)?>`), ''),
        );
        const outcome = await runCommandLine(core, invocation(event.user, event.channel, body.event_id), line);
        count(outcome, 'mention');
        if (outcome.duplicate) return;
        const target: ReplyTarget = {
          client,
          triggerId: '',
          channel: event.channel,
          userId: event.user,
          threadTs: event.thread_ts,
        };
        await replies.send(outcome.replies, target, { line });
      })(),
    ),
  );

  app.error(async (err) => {
    core.log.error({ err: err.message, code: (err as { code?: string }).code }, 'slack handler failed');
  });

  return {
    app,
    mode,
    deliverer,
    metrics,
    async start() {
      if (receiver instanceof HTTPReceiver) {
        const server = (await app.start(opts.port)) as Server;
        return { port: (server.address() as AddressInfo).port };
      }
      // Socket Mode has no inbound HTTP for Slack, but operators still get /healthz and /metrics.
      sideServer = routeServer(routes);
      await new Promise<void>((resolve, reject) => {
        sideServer?.once('error', reject);
        sideServer?.listen(opts.port, () => resolve());
      });
      await app.start();
      return { port: (sideServer.address() as AddressInfo).port };
    },
    async stop() {
      await app.stop().catch(() => undefined);
      if (sideServer) {
        const s = sideServer;
        sideServer = undefined;
        s.closeAllConnections();
        await new Promise<void>((resolve) => s.close(() => resolve()));
      }
    },
    async idle() {
      while (inflight.size > 0) await Promise.allSettled([...inflight]);
    },
  };
}

function invocation(userId: string, channel: string, deliveryId: string): Invocation {
  return { platform: 'slack', userId, channel, deliveryId };
}

/**
 * Bolt's default single-token authorize calls auth.test once at construction and caches even a
 * failure forever; this one asks on first use and asks again after a failure.
 */
function lazyAuthorize(botToken: string, clientOptions: webApi.WebClientOptions) {
  const client = new webApi.WebClient(botToken, clientOptions);
  let cached: Promise<AuthorizeResult> | undefined;
  return (): Promise<AuthorizeResult> => {
    cached ??= client.auth.test().then(
      (r) => ({ botToken, botId: r.bot_id, botUserId: r.user_id, teamId: r.team_id }),
      (err: unknown) => {
        cached = undefined;
        throw err;
      },
    );
    return cached;
  };
}

/** The custom routes on a plain server, for Socket Mode where Bolt's receiver serves no HTTP. */
function routeServer(routes: CustomRoute[]): Server {
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const route = routes.find((r) => r.path === path && [r.method].flat().includes(req.method ?? 'GET'));
    if (!route) {
      res.writeHead(404).end();
      return;
    }
    route.handler(Object.assign(req, { params: {} }), res);
  });
}
