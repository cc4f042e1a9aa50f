import { webApi } from '@slack/bolt';
import type { MessageRef } from '../../db/schema.js';
import { type Deliverer, RateLimited } from '../../outbox/types.js';
import type { Reply } from '../../reply.js';
import { renderReply, unpingedUsers } from './blocks.js';
import { SlackNames } from './names.js';

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

  async post(channel: string, reply: Reply, thread?: MessageRef): Promise<MessageRef> {
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
      }),
    );
    return { platform: 'slack', channel: res.channel ?? target, messageId: String(res.ts) };
  }

  async edit(ref: MessageRef, reply: Reply): Promise<void> {
    const msg = await this.render(reply);
    await this.call(() =>
      this.client.chat.update({ channel: ref.channel, ts: ref.messageId, text: msg.text, blocks: msg.blocks as never }),
    );
  }

  async dm(userKey: string, reply: Reply): Promise<MessageRef> {
    const userId = userKey.replace(/^slack:/, '');
    const opened = await this.call(() => this.client.conversations.open({ users: userId }));
    const channel = opened.channel?.id;
    if (!channel) throw new Error(`conversations.open gave no channel for ${userKey}`);
    return this.post(channel, reply);
  }

  /** People named but not pinged are shown by their display names. */
  private async render(reply: Reply) {
    return renderReply(reply, await this.names.resolve(unpingedUsers(reply)));
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      const e = err as { code?: string; retryAfter?: number };
      if (e.code === webApi.ErrorCode.RateLimitedError) throw new RateLimited(Math.max(1, e.retryAfter ?? 1) * 1000);
      throw err;
    }
  }
}
