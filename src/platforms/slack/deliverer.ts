import { webApi } from '@slack/bolt';
import type { MessageRef } from '../../db/schema.js';
import {
  type DeliveredWhere,
  type Deliverer,
  PermanentDeliveryError,
  RateLimited,
  TransientDeliveryError,
} from '../../outbox/types.js';
import type { Reply } from '../../reply.js';
import { homeView, renderReply, unpingedUsers } from './blocks.js';
import { SlackNames } from './names.js';

/** The metadata event type marking a message posted from an outbox row. */
const OUTBOX_EVENT = 'posko_outbox';
/** A lookup reads at most this many pages of 200: the messages since one row was queued. */
const MAX_HISTORY_PAGES = 5;

/**
 * Slack answers that no retry can fix: the channel or user is gone or archived, the bot is not
 * in the channel or lacks the scope, the token is revoked, the message itself is refused.
 * Anything else Slack says (`internal_error`, `service_unavailable`, …) is worth another try.
 */
const PERMANENT_SLACK_ERRORS = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'restricted_action',
  'restricted_action_read_only_channel',
  'restricted_action_thread_only_channel',
  'restricted_action_non_threadable_channel',
  'not_authed',
  'invalid_auth',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'no_permission',
  'missing_scope',
  'ekm_access_denied',
  'team_access_not_granted',
  'access_denied',
  'user_not_found',
  'user_disabled',
  'cannot_dm_bot',
  'message_not_found',
  'cant_update_message',
  'edit_window_closed',
  'msg_too_long',
  'invalid_blocks',
  'invalid_metadata_format',
  'no_text',
]);

/** The outbox's reading of a failed Web API call: rate limit, permanent or transient (see types). */
export function classifySlackError(err: unknown): Error {
  const e = err as { code?: string; retryAfter?: number; data?: { error?: string }; statusCode?: number };
  switch (e.code) {
    case webApi.ErrorCode.RateLimitedError:
      return new RateLimited(Math.max(1, e.retryAfter ?? 1) * 1000);
    case webApi.ErrorCode.PlatformError: {
      const code = e.data?.error ?? 'unknown_error';
      return PERMANENT_SLACK_ERRORS.has(code)
        ? new PermanentDeliveryError(code)
        : new TransientDeliveryError(code, err);
    }
    case webApi.ErrorCode.HTTPError: {
      const status = e.statusCode ?? 0;
      const code = `http_${status}`;
      return status >= 500 || status === 408 ? new TransientDeliveryError(code, err) : new PermanentDeliveryError(code);
    }
    case webApi.ErrorCode.RequestError:
      return new TransientDeliveryError('network', err);
    default:
      return err instanceof Error ? err : new Error(String(err));
  }
}

/**
 * The outbox's way onto Slack: post, edit and DM through the Web API. Its own WebClient rejects
 * a 429 at once instead of pausing (Bolt's default client pauses its whole queue, which would
 * stall every channel); the worker then waits Retry-After for that channel only.
 */
export class SlackDeliverer implements Deliverer {
  readonly platform = 'slack';
  private readonly client: webApi.WebClient;
  private readonly names: SlackNames;

  constructor(botToken: string, opts: Pick<webApi.WebClientOptions, 'slackApiUrl' | 'logger' | 'logLevel'> = {}) {
    this.client = new webApi.WebClient(botToken, {
      ...opts,
      rejectRateLimitedCalls: true,
      retryConfig: { retries: 0 },
      // Well inside the outbox lease: a hung call fails and is retried rather than held forever.
      timeout: 10_000,
    });
    this.names = new SlackNames(this.client);
  }

  async post(channel: string, reply: Reply, thread?: MessageRef, outboxId?: number): Promise<MessageRef> {
    const msg = await this.render(reply);
    const target = thread?.channel ?? channel;
    const res = await this.call(() =>
      this.client.chat.postMessage({
        channel: target,
        text: msg.text,
        blocks: msg.blocks as never,
        thread_ts: thread?.messageId,
        unfurl_links: false,
        unfurl_media: false,
        // Slack has no idempotency key; this marker lets findDelivered recognise the message.
        ...(outboxId === undefined
          ? {}
          : { metadata: { event_type: OUTBOX_EVENT, event_payload: { outbox_id: String(outboxId) } } }),
      }),
    );
    const ref: MessageRef = { platform: 'slack', channel: res.channel ?? target, messageId: String(res.ts) };
    await this.upload(ref.channel, reply, thread?.messageId);
    return ref;
  }

  /**
   * The reply's files (a digest chart, an export) right under the message, through files.uploadV2
   * (getUploadURLExternal, the upload, completeUploadExternal); needs the `files:write` scope.
   */
  private async upload(channel: string, reply: Reply, threadTs?: string): Promise<void> {
    for (const f of reply.files ?? []) {
      const file = { file: f.path, filename: f.name, title: f.title };
      await this.call(() =>
        this.client.filesUploadV2(
          threadTs ? { ...file, channel_id: channel, thread_ts: threadTs } : { ...file, channel_id: channel },
        ),
      );
    }
  }

  async edit(ref: MessageRef, reply: Reply): Promise<void> {
    const msg = await this.render(reply);
    await this.call(() =>
      this.client.chat.update({ channel: ref.channel, ts: ref.messageId, text: msg.text, blocks: msg.blocks as never }),
    );
  }

  async dm(userKey: string, reply: Reply, outboxId?: number): Promise<MessageRef> {
    return this.post(await this.dmChannel(userKey), reply, undefined, outboxId);
  }

  /** App Home: the person's queue as their Home tab (`views.publish`, needs no extra scope). */
  async publishHome(userKey: string, reply: Reply): Promise<void> {
    const view = homeView(reply);
    await this.call(() => this.client.views.publish({ user_id: userKey.replace(/^slack:/, ''), view: view as never }));
  }

  /**
   * Reads the conversation (the thread's replies, or the channel's history) since the row was
   * queued, for a message carrying the outbox marker. Needs the `*:history` scopes.
   */
  async findDelivered(outboxId: number, where: DeliveredWhere): Promise<MessageRef | null> {
    const channel = where.thread?.channel ?? (where.dmTo ? await this.dmChannel(where.dmTo) : where.channel);
    // A minute's slack for clocks that disagree; the marker, not the time, decides.
    const oldest = String(Math.floor(where.since.getTime() / 1000) - 60);
    let cursor: string | undefined;
    for (let page = 0; page < MAX_HISTORY_PAGES; page++) {
      const args = { channel, oldest, cursor, limit: 200, include_all_metadata: true };
      const res = await this.call(() =>
        where.thread
          ? this.client.conversations.replies({ ...args, ts: where.thread.messageId })
          : this.client.conversations.history(args),
      );
      const hit = (res.messages ?? []).find(
        (m) =>
          m.metadata?.event_type === OUTBOX_EVENT &&
          (m.metadata.event_payload as Record<string, unknown> | undefined)?.outbox_id === String(outboxId),
      );
      if (hit?.ts) return { platform: 'slack', channel, messageId: hit.ts, threadId: where.thread?.messageId };
      cursor = res.response_metadata?.next_cursor || undefined;
      if (!res.has_more || !cursor) return null;
    }
    return null;
  }

  private async dmChannel(userKey: string): Promise<string> {
    const userId = userKey.replace(/^slack:/, '');
    const opened = await this.call(() => this.client.conversations.open({ users: userId }));
    const channel = opened.channel?.id;
    if (!channel) throw new TransientDeliveryError('no_dm_channel');
    return channel;
  }

  /** People named but not pinged are shown by their display names. */
  private async render(reply: Reply) {
    return renderReply(reply, await this.names.resolve(unpingedUsers(reply)));
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw classifySlackError(err);
    }
  }
}
