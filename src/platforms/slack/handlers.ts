import type { App } from '@slack/bolt';
import type { Core } from '../../app.js';
import { type Invocation, type Outcome, runCommandLine, runWithForm } from '../../command/dispatch.js';
import { afterAckQueue } from './after-ack.js';
import { ACTION_PREFIX, homeView, parseButtonValue } from './blocks.js';
import { commandText } from './command-text.js';
import { SlackLocales } from './locales.js';
import type { SlackMetrics } from './metrics.js';
import { FORM_CALLBACK, formValues, readFormContext } from './modal.js';
import { type ReplyTarget, SlackReplies } from './replies.js';
import { respondVia } from './response-url.js';

type Source = 'command' | 'button' | 'form' | 'mention' | 'shortcut' | 'home';

/** ⚓ The slash command (DESIGN §3). */
export const SLASH_COMMAND = '/tiket';

/** ⚓ The message shortcut "Buat tiket dari pesan ini" (DESIGN §8). */
export const FROM_MESSAGE_CALLBACK = 'tiket_dari_pesan';

/** How long a modal submission may run before the modal is closed without waiting (Slack: 3 s). */
const FORM_ANSWER_BUDGET_MS = 2_500;

export interface HandlerDeps {
  core: Core;
  metrics: SlackMetrics;
  /** Registers work that continues after the ack, so `idle()` can wait for it. */
  track<T>(work: Promise<T>): Promise<T>;
}

/**
 * Slack's four ways in — slash command, button, modal submission, @mention — each become one run
 * of a /tiket command line as the person who acted, with Slack's own delivery id for dedupe.
 */
export function registerHandlers(app: App, { core, metrics, track }: HandlerDeps): void {
  const replies = new SlackReplies(core);
  const afterAck = afterAckQueue();
  const locales = new SlackLocales(app.client);

  const run = async (via: Source, inv: Invocation, line: string, values?: Record<string, string>): Promise<Outcome> => {
    let outcome: Outcome;
    try {
      inv.locale = await locales.of(inv.userId);
      outcome = values ? await runWithForm(core, inv, line, values) : await runCommandLine(core, inv, line);
    } catch (err) {
      // The dispatcher answers every expected failure itself; this is the unexpected rest.
      core.log.error({ err: (err as Error).message, via }, 'slack: command crashed');
      const text = core.t('err.internal');
      outcome = {
        replies: [{ audience: 'ephemeral', ticket: null, error: 'unavailable', text }],
        duplicate: false,
        command: null,
        error: 'unavailable',
      };
    }
    metrics.commands.inc({
      command: outcome.command ?? 'unknown',
      outcome: outcome.duplicate ? 'duplicate' : (outcome.error ?? 'ok'),
      via,
    });
    return outcome;
  };
  const acked = (context: Record<string, unknown>, kind: Source) => {
    const at = typeof context.receivedAt === 'number' ? context.receivedAt : performance.now();
    metrics.ackSeconds.observe({ kind }, (performance.now() - at) / 1000);
  };

  // /tiket …: ack at once (Slack allows 3 s), then run; the answer follows on response_url.
  // Taken in a global middleware, ahead of Bolt's listeners: Bolt offers each request to every
  // listener in turn, which for the hot path cost more than the rest of Bolt's work (~50 of ~70 µs
  // per request with six listeners; issue 14, B1). Anything else goes on to the listeners below.
  // Returns once acked, so Bolt lets go of the request while the command waits its turn.
  app.use(async (args) => {
    if (!('command' in args) || args.command.command !== SLASH_COMMAND) return args.next();
    const { command, ack, client, context } = args;
    await ack();
    acked(context, 'command');
    const who = slackUser(command.user_id, command.channel_id, command.trigger_id);
    const line = commandText(command.text ?? ''); // Slack always sends text; a body without it is an empty line
    const target: ReplyTarget = {
      client,
      respond: respondVia(command.response_url),
      triggerId: command.trigger_id,
      channel: command.channel_id,
      userId: command.user_id,
    };
    void track(
      afterAck(async () => {
        const outcome = await run('command', who, line);
        if (!outcome.duplicate) await replies.send(outcome.replies, target);
      }).catch((err) => core.log.error({ err: (err as Error).message }, 'slack: answering a command failed')),
    );
  });

  // A button: run its command as the clicker, or first collect the fields of its form.
  app.action(new RegExp(`^${ACTION_PREFIX.replace('.', '\\.')}`), ({ ack, body, action, client, context }) =>
    track(
      (async () => {
        await ack();
        acked(context, 'button');
        if (body.type !== 'block_actions' || action.type !== 'button') return;
        const payload = parseButtonValue(action.value);
        if (!payload) return;
        const channel = body.channel?.id ?? body.container?.channel_id ?? '';
        const target: ReplyTarget = {
          client,
          respond: respondVia(body.response_url),
          triggerId: body.trigger_id,
          channel,
          userId: body.user.id,
          // A button under a private answer (e.g. "close with the offer"): the result replaces it.
          replaceOriginal: body.container?.is_ephemeral === true,
        };
        if (payload.f) {
          await replies.openForm(payload.f, target, payload.c);
          return;
        }
        await afterAck(async () => {
          const outcome = await run('button', slackUser(body.user.id, channel, body.trigger_id), payload.c);
          if (!outcome.duplicate) await replies.send(outcome.replies, target);
        });
      })(),
    ),
  );

  // A modal's submission: run before acking, so a bad field is answered in the modal, next to it.
  // Slack waits 3 s at most; a command still running then gets its answer as a private message.
  app.view(FORM_CALLBACK, ({ ack, body, view, client, context }) =>
    track(
      (async () => {
        const ctx = readFormContext(view.private_metadata);
        if (!ctx) {
          await ack();
          return;
        }
        const triggerId = (body as { trigger_id?: string }).trigger_id ?? `${view.id}:${view.hash}`;
        const running = run(
          'form',
          { ...slackUser(body.user.id, ctx.channel, triggerId), ...(ctx.source ? { source: ctx.source } : {}) },
          ctx.line,
          formValues(view.state.values as never),
        );
        const inTime = await settledWithin(running, FORM_ANSWER_BUDGET_MS);
        const fieldErrors =
          inTime?.error === 'invalid_input' ? replies.fieldErrors(inTime, Object.keys(view.state.values)) : undefined;
        await ack(fieldErrors ? { response_action: 'errors', errors: fieldErrors } : undefined);
        acked(context, 'form');
        if (fieldErrors) return;
        const outcome = inTime ?? (await running);
        if (outcome.duplicate) return;
        await replies.send(outcome.replies, { client, triggerId, channel: ctx.channel, userId: body.user.id });
      })(),
    ),
  );

  // "Buat tiket dari pesan ini" on a message: the `buka` form prefilled with its text, or the
  // ticket the message already made. The message (channel, ts, permalink) rides in the modal.
  app.shortcut({ callback_id: FROM_MESSAGE_CALLBACK, type: 'message_action' }, ({ ack, body, client, context }) =>
    track(
      (async () => {
        await ack();
        acked(context, 'shortcut');
        if (body.type !== 'message_action') return;
        const channel = body.channel.id;
        const ts = body.message.ts;
        const link = await client.chat
          .getPermalink({ channel, message_ts: ts })
          .then((r) => r.permalink ?? null)
          .catch(() => null);
        const inv: Invocation = {
          ...slackUser(body.user.id, channel, body.trigger_id),
          source: { platform: 'slack', channel, message: ts, link, text: body.message.text ?? '' },
        };
        const outcome = await run('shortcut', inv, 'buka');
        if (outcome.duplicate) return;
        await replies.send(outcome.replies, {
          client,
          respond: respondVia(body.response_url),
          triggerId: body.trigger_id,
          channel,
          userId: body.user.id,
        });
      })(),
    ),
  );

  // "@posko lihat GGN-000042": the text after the mention is a command line. Bolt acks events
  // itself; Slack retries unacked ones with the same event_id, which the dispatcher dedupes.
  app.event('app_mention', ({ event, body, client, context }) =>
    track(
      (async () => {
        if (!event.user) return;
        const botMention = new RegExp(`^\\s*<@${context.botUserId ?? '[UW][A-Z0-9]+'}(?:\\|[^>]*)?>`);
        const line = commandText(event.text.replace(botMention, ''));
        const outcome = await run('mention', slackUser(event.user, event.channel, body.event_id), line);
        if (outcome.duplicate) return;
        const target: ReplyTarget = {
          client,
          triggerId: '',
          channel: event.channel,
          userId: event.user,
          threadTs: event.thread_ts,
        };
        await replies.send(outcome.replies, target);
      })(),
    ),
  );

  // App Home opened: publish the person's queue (`saya`) as the Home tab, read now. Changes later
  // refresh it through the outbox (kind `home`, coalesced per person).
  app.event('app_home_opened', ({ event, body, client }) =>
    track(
      (async () => {
        if (event.tab !== 'home') return;
        const outcome = await run('home', slackUser(event.user, event.channel, body.event_id), 'saya');
        const reply = outcome.replies[0];
        if (outcome.duplicate || !reply) return;
        await client.views.publish({ user_id: event.user, view: homeView(reply) as never });
      })().catch((err) => core.log.error({ err: (err as Error).message }, 'slack: publishing App Home failed')),
    ),
  );
}

function slackUser(userId: string, channel: string, deliveryId: string): Invocation {
  return { platform: 'slack', userId, channel, deliveryId };
}

/** The promise's value if it settles within `ms`, else undefined (it keeps running). */
async function settledWithin<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
