/**
 * Builders for the payloads Slack sends to an app, shaped as in Slack's documentation
 * (slash command form fields, block_actions and view_submission interactivity payloads).
 */

let counter = 0;
/** A fresh trigger_id, unique per test run, like Slack's "13345224609.738474920.8088930838d88f008e0". */
export function triggerId(): string {
  counter += 1;
  return `${Date.now()}.${counter}.trigger`;
}

export const TEAM = { id: 'T0POSKO', domain: 'posko-test' };

export interface SlashCommandInput {
  userId: string;
  channelId: string;
  text: string;
  responseUrl: string;
  triggerId?: string;
  command?: string;
}

export function slashCommand(input: SlashCommandInput): Record<string, string> {
  return {
    token: 'deprecated-verification-token',
    team_id: TEAM.id,
    team_domain: TEAM.domain,
    channel_id: input.channelId,
    channel_name: 'cc-team-a',
    user_id: input.userId,
    user_name: input.userId.toLowerCase(),
    command: input.command ?? '/tiket',
    text: input.text,
    api_app_id: 'APOSKO',
    is_enterprise_install: 'false',
    response_url: input.responseUrl,
    trigger_id: input.triggerId ?? triggerId(),
  };
}

export interface BlockActionInput {
  userId: string;
  channelId: string;
  /** ts of the message that holds the button. */
  messageTs: string;
  /** thread_ts of that message when it sits in a thread. */
  threadTs?: string;
  actionId: string;
  value: string;
  responseUrl: string;
  blockId?: string;
  triggerId?: string;
  actionTs?: string;
  /** The button sits in an ephemeral message (only the clicker sees it). */
  ephemeral?: boolean;
}

export function blockAction(input: BlockActionInput): Record<string, unknown> {
  return {
    type: 'block_actions',
    team: TEAM,
    user: { id: input.userId, username: input.userId.toLowerCase(), team_id: TEAM.id },
    api_app_id: 'APOSKO',
    token: 'deprecated-verification-token',
    container: {
      type: 'message',
      message_ts: input.messageTs,
      channel_id: input.channelId,
      is_ephemeral: input.ephemeral === true,
      thread_ts: input.threadTs,
    },
    trigger_id: input.triggerId ?? triggerId(),
    channel: { id: input.channelId, name: 'cc-team-a' },
    message: { type: 'message', ts: input.messageTs, thread_ts: input.threadTs, text: '' },
    response_url: input.responseUrl,
    actions: [
      {
        type: 'button',
        action_id: input.actionId,
        block_id: input.blockId ?? 'actions',
        value: input.value,
        action_ts: input.actionTs ?? `${Math.floor(Date.now() / 1000)}.${String(counter).padStart(6, '0')}`,
        text: { type: 'plain_text', text: 'button' },
      },
    ],
  };
}

/** A message shortcut ("message_action") used on a message in a channel. */
export function messageShortcut(input: {
  userId: string;
  channelId: string;
  callbackId: string;
  messageTs: string;
  text: string;
  triggerId?: string;
  responseUrl?: string;
}): Record<string, unknown> {
  return {
    type: 'message_action',
    team: TEAM,
    user: { id: input.userId, username: input.userId.toLowerCase(), team_id: TEAM.id },
    api_app_id: 'APOSKO',
    token: 'deprecated-verification-token',
    callback_id: input.callbackId,
    trigger_id: input.triggerId ?? triggerId(),
    action_ts: `${Math.floor(Date.now() / 1000)}.000001`,
    channel: { id: input.channelId, name: 'cc-team-a' },
    message: { type: 'message', user: 'UCUSTOMERCARE', ts: input.messageTs, text: input.text },
    response_url: input.responseUrl ?? 'https://hooks.slack.com/actions/T0/1/none',
  };
}

export interface ViewSubmissionInput {
  userId: string;
  callbackId: string;
  privateMetadata: string;
  /** block_id → action_id → value; a select gives `selected_option`, a text input `value`. */
  values: Record<string, Record<string, { type: string; value?: string; selected_option?: { value: string } }>>;
  viewId?: string;
  triggerId?: string;
}

export function viewSubmission(input: ViewSubmissionInput): Record<string, unknown> {
  return {
    type: 'view_submission',
    team: TEAM,
    user: { id: input.userId, username: input.userId.toLowerCase(), team_id: TEAM.id },
    api_app_id: 'APOSKO',
    token: 'deprecated-verification-token',
    trigger_id: input.triggerId ?? triggerId(),
    view: {
      id: input.viewId ?? 'V1',
      type: 'modal',
      callback_id: input.callbackId,
      private_metadata: input.privateMetadata,
      state: { values: input.values },
      hash: 'hash',
    },
  };
}

/** Interactivity payloads travel as one form field `payload` holding JSON. */
export function interactionForm(payload: Record<string, unknown>): Record<string, string> {
  return { payload: JSON.stringify(payload) };
}

/** An Events API envelope carrying an app_mention of the bot (user UPOSKOBOT, as auth.test says). */
export function appMention(input: {
  userId: string;
  channelId: string;
  text: string;
  eventId: string;
}): Record<string, unknown> {
  const ts = `${Math.floor(Date.now() / 1000)}.000100`;
  return {
    token: 'deprecated-verification-token',
    team_id: TEAM.id,
    api_app_id: 'APOSKO',
    type: 'event_callback',
    event_id: input.eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: TEAM.id, user_id: 'UPOSKOBOT', is_bot: true, is_enterprise_install: false }],
    event: {
      type: 'app_mention',
      user: input.userId,
      text: `<@UPOSKOBOT> ${input.text}`,
      ts,
      channel: input.channelId,
      event_ts: ts,
    },
  };
}

/** An Events API envelope: the user opened the app's Home tab. */
export function appHomeOpened(input: { userId: string; eventId: string; tab?: 'home' | 'messages' }) {
  const ts = `${Math.floor(Date.now() / 1000)}.000200`;
  return {
    token: 'deprecated-verification-token',
    team_id: TEAM.id,
    api_app_id: 'APOSKO',
    type: 'event_callback',
    event_id: input.eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: TEAM.id, user_id: 'UPOSKOBOT', is_bot: true, is_enterprise_install: false }],
    event: {
      type: 'app_home_opened',
      user: input.userId,
      channel: `D${input.userId}`,
      tab: input.tab ?? 'home',
      event_ts: ts,
    },
  };
}
