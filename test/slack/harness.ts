import { deliverDue } from '../../src/outbox/worker.js';
import { createSlackApp, type SlackApp } from '../../src/platforms/slack/app.js';
import {
  appHomeOpened,
  appMention,
  blockAction,
  interactionForm,
  messageShortcut,
  slashCommand,
  triggerId,
  viewSubmission,
} from '../fakes/slack/payloads.js';
import { postForm, postJson, type SignedOptions, type SlackHttpAnswer } from '../fakes/slack/signed.js';
import { FakeSlackApi, type RecordedCall, type RecordedResponse } from '../fakes/slack/web-api.js';
import { startSlackTestCore } from './core.js';

export const SECRET = 'test-signing-secret';
export const CHANNEL = 'CTEAMA';

/** A button as it sits in a message the fake recorded. */
export interface FoundButton {
  actionId: string;
  value: string;
  channel: string;
  messageTs: string;
  threadTs?: string;
}

/**
 * One real posko core (PGlite, or PostgreSQL with TEST_DATABASE_URL) and one real Bolt app in
 * HTTP mode, talking to the fake Slack Web API; requests are signed as Slack signs them.
 */
export async function startSlackHarness(opts: { env?: Record<string, string> } = {}) {
  const api = await new FakeSlackApi().start();
  let now = new Date('2026-12-01T02:00:00Z');
  const test = await startSlackTestCore({ clock: () => now, env: { POSKO_ADMINS: 'slack:USPV', ...opts.env } });
  const { core } = test;
  const slack: SlackApp = createSlackApp(core, {
    botToken: 'xoxb-test',
    signingSecret: SECRET,
    apiUrl: api.apiUrl,
    port: 0,
  });
  const { port } = await slack.start();
  const base = `http://127.0.0.1:${port}`;
  const events = `${base}/slack/events`;
  let responseCounter = 0;

  const h = {
    api,
    core,
    slack,
    base,
    events,
    advance(ms: number) {
      now = new Date(now.getTime() + ms);
    },
    /** `/tiket <text>` from a user; resolves after the work that follows the ack is done. */
    async command(userId: string, text: string, o: { channel?: string; trigger?: string } & SignedOptions = {}) {
      responseCounter += 1;
      const responseId = `cmd-${responseCounter}`;
      const fields = slashCommand({
        userId,
        channelId: o.channel ?? CHANNEL,
        text,
        responseUrl: api.responseUrl(responseId),
        triggerId: o.trigger ?? triggerId(),
      });
      const answer = await postForm(events, SECRET, fields, o);
      await slack.idle();
      return { ...answer, fields, responseId, responses: h.responsesTo(responseId) };
    },
    /** Click a button as `userId`. */
    async click(
      userId: string,
      button: FoundButton,
      o: { trigger?: string; ephemeral?: boolean } & SignedOptions = {},
    ) {
      responseCounter += 1;
      const responseId = `click-${responseCounter}`;
      const payload = blockAction({
        userId,
        channelId: button.channel,
        messageTs: button.messageTs,
        threadTs: button.threadTs,
        actionId: button.actionId,
        value: button.value,
        responseUrl: api.responseUrl(responseId),
        triggerId: o.trigger ?? triggerId(),
        ephemeral: o.ephemeral,
      });
      const answer = await postForm(events, SECRET, interactionForm(payload), o);
      await slack.idle();
      return { ...answer, payload, responseId, responses: h.responsesTo(responseId) };
    },
    /** The message shortcut `callbackId` used by `userId` on the message `messageTs` holding `text`. */
    async shortcut(
      userId: string,
      message: { ts: string; text: string; channel?: string },
      o: { callbackId?: string; trigger?: string } & SignedOptions = {},
    ) {
      responseCounter += 1;
      const responseId = `shortcut-${responseCounter}`;
      const payload = messageShortcut({
        userId,
        channelId: message.channel ?? CHANNEL,
        callbackId: o.callbackId ?? 'tiket_dari_pesan',
        messageTs: message.ts,
        text: message.text,
        triggerId: o.trigger ?? triggerId(),
        responseUrl: api.responseUrl(responseId),
      });
      const answer = await postForm(events, SECRET, interactionForm(payload), o);
      await slack.idle();
      return { ...answer, payload, responseId, responses: h.responsesTo(responseId) };
    },
    /** An Events API `app_mention` ("@posko <text>") with a given event_id. */
    async mention(userId: string, text: string, eventId: string, o: { channel?: string } & SignedOptions = {}) {
      const answer = await postJson(
        events,
        SECRET,
        appMention({ userId, channelId: o.channel ?? CHANNEL, text, eventId }),
        o,
      );
      await slack.idle();
      return answer;
    },
    /** The user opens the app's Home tab (Events API `app_home_opened`). */
    async homeOpened(userId: string, eventId: string, o: SignedOptions = {}) {
      const answer = await postJson(events, SECRET, appHomeOpened({ userId, eventId }), o);
      await slack.idle();
      return answer;
    },
    /** Submit the last modal opened with views.open, with `values` by field name. */
    async submit(userId: string, values: Record<string, string>, o: SignedOptions = {}): Promise<SlackHttpAnswer> {
      const view = h.lastModal();
      const blocks = (view.blocks as { type: string; block_id: string; element: { type: string } }[]).filter(
        (b) => b.type === 'input',
      );
      const state: Record<
        string,
        Record<string, { type: string; value?: string; selected_option?: { value: string } }>
      > = {};
      for (const b of blocks) {
        const v = values[b.block_id];
        state[b.block_id] = {
          value:
            b.element.type === 'static_select'
              ? { type: 'static_select', selected_option: v === undefined ? undefined : { value: v } }
              : { type: 'plain_text_input', value: v },
        };
      }
      const payload = viewSubmission({
        userId,
        callbackId: String(view.callback_id),
        privateMetadata: String(view.private_metadata),
        values: state,
      });
      const answer = await postForm(events, SECRET, interactionForm(payload), o);
      await slack.idle();
      return answer;
    },
    lastModal(): Record<string, unknown> {
      const open = api.ok('views.open').at(-1);
      if (!open) throw new Error('no modal was opened');
      return open.args.view as Record<string, unknown>;
    },
    responsesTo(id: string): RecordedResponse[] {
      return api.responses.filter((r) => r.id === id);
    },
    /** Run the outbox worker until nothing is due (what the background worker does). */
    async deliver(): Promise<number> {
      let total = 0;
      for (;;) {
        const n = await deliverDue(core, slack.deliverer);
        if (n === 0) return total;
        total += n;
      }
    },
    /** Buttons in the messages Slack holds now (latest version of each message). */
    buttons(actionId: string): FoundButton[] {
      const latest = new Map<string, RecordedCall>();
      for (const call of api.ok('chat.postMessage')) latest.set(`${call.result?.channel}:${call.result?.ts}`, call);
      for (const call of api.ok('chat.update')) latest.set(`${call.args.channel}:${call.args.ts}`, call);
      const found: FoundButton[] = [];
      for (const [key, call] of latest) {
        const [channel = '', messageTs = ''] = key.split(':');
        for (const el of actionElements(call)) {
          if (el.action_id.endsWith(`.${actionId}`))
            found.push({
              actionId: el.action_id,
              value: el.value,
              channel,
              messageTs,
              threadTs: call.args.thread_ts as string | undefined,
            });
        }
      }
      return found;
    },
    async close() {
      await slack.stop();
      await test.close();
      await api.close();
    },
  };
  return h;
}

export type SlackHarness = Awaited<ReturnType<typeof startSlackHarness>>;

/** Buttons in an ephemeral answer (response_url body). */
export function responseButtons(r: RecordedResponse, actionId: string): { action_id: string; value: string }[] {
  return actionElements({ args: r.body } as RecordedCall).filter((el) => el.action_id.endsWith(`.${actionId}`));
}

function actionElements(call: Pick<RecordedCall, 'args'>): { action_id: string; value: string }[] {
  const blocks = (call.args.blocks ?? []) as { type: string; elements?: { action_id: string; value: string }[] }[];
  return blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements ?? []);
}

/** Everything a channel could read: text and blocks of every post and edit. */
export function channelText(api: FakeSlackApi): string {
  return api
    .channelMessages()
    .map((c) => JSON.stringify({ text: c.args.text, blocks: c.args.blocks }))
    .join('\n');
}
