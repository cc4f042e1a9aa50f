/**
 * The outbox's Discord side. A post without a thread is a channel message and, when it is about
 * a ticket, the start of that ticket's thread (everything later goes there); edits happen in
 * place; a 429 becomes `RateLimited` so the worker waits for that channel only; an answer no retry
 * can fix (unknown channel, missing access) becomes `PermanentDeliveryError`.
 */
import { readFile } from 'node:fs/promises';
import {
  DiscordAPIError,
  HTTPError,
  RateLimitError,
  type REST,
  type RESTPostAPIChannelThreadsResult,
  Routes,
} from 'discord.js';
import type { MessageRef } from '../../db/schema.js';
import { type Deliverer, PermanentDeliveryError, RateLimited, TransientDeliveryError } from '../../outbox/types.js';
import type { Reply } from '../../reply.js';
import { discordId, renderMessage, threadName } from './render.js';

/** Discord's "a thread has already been created for this message": the thread id is the message id. */
const THREAD_ALREADY_EXISTS = 160004;
/** Three days: a ticket's thread stays visible through a shift pattern without manual unarchiving. */
const THREAD_ARCHIVE_MINUTES = 4320;

/** Discord's JSON error codes that no retry can fix, by the name the outbox stores. */
const PERMANENT_DISCORD_CODES: Record<number, string> = {
  10003: 'unknown_channel',
  10004: 'unknown_guild',
  10008: 'unknown_message',
  10013: 'unknown_user',
  50001: 'missing_access',
  50007: 'cannot_dm_user',
  50013: 'missing_permissions',
  50035: 'invalid_form_body',
  50083: 'thread_archived',
  160005: 'thread_locked',
};

/** The outbox's reading of a failed REST call: rate limit, permanent or transient (see types). */
export function classifyDiscordError(err: unknown): Error {
  if (err instanceof RateLimitError) return new RateLimited(Math.max(0, Math.ceil(err.retryAfter)));
  if (err instanceof DiscordAPIError) {
    const known = typeof err.code === 'number' ? PERMANENT_DISCORD_CODES[err.code] : undefined;
    if (known) return new PermanentDeliveryError(known);
    // 401 (bad token), 403 (no access), 404 (gone) and other 4xx answers stay wrong on a retry.
    if (err.status >= 400 && err.status < 500 && err.status !== 408)
      return new PermanentDeliveryError(`discord_${err.code || err.status}`);
    return new TransientDeliveryError(`http_${err.status}`, err);
  }
  if (err instanceof HTTPError) return new TransientDeliveryError(`http_${err.status}`, err);
  return err instanceof Error ? err : new Error(String(err));
}

async function rateLimitAware<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw classifyDiscordError(err);
  }
}

/**
 * Discord's idempotency key for a new message: with `enforce_nonce`, a second post with the same
 * nonce within a few minutes returns the first message instead of making another. The outbox row
 * id is that key, so a row sent again after its sender died mid-send (its lease is 30 s) lands once.
 * Discord allows 25 characters: `posko-` and any bigint fit.
 */
export function outboxNonce(outboxId: number): { nonce: string; enforce_nonce: true } {
  return { nonce: `posko-${outboxId}`, enforce_nonce: true };
}

export function createDiscordDeliverer(rest: REST): Deliverer {
  async function send(channel: string, reply: Reply, outboxId?: number): Promise<string> {
    const body = { ...renderMessage(reply), ...(outboxId === undefined ? {} : outboxNonce(outboxId)) };
    // The reply's files (a digest chart, an export) as attachments of the same message.
    const files = await Promise.all(
      (reply.files ?? []).map(async (f) => ({ name: f.name, data: await readFile(f.path), contentType: f.mime })),
    );
    const message = (await rest.post(Routes.channelMessages(channel), {
      body,
      ...(files.length ? { files } : {}),
    })) as { id: string };
    return message.id;
  }

  /** The thread on a message; created on first need (and found again if it already exists). */
  async function threadOn(channel: string, messageId: string, reply: Reply): Promise<string> {
    try {
      const thread = (await rest.post(Routes.threads(channel, messageId), {
        body: { name: threadName(reply), auto_archive_duration: THREAD_ARCHIVE_MINUTES },
      })) as RESTPostAPIChannelThreadsResult;
      return thread.id;
    } catch (err) {
      if (err instanceof DiscordAPIError && err.code === THREAD_ALREADY_EXISTS) return messageId;
      throw err;
    }
  }

  return {
    platform: 'discord',
    post: (channel, reply, thread, outboxId) =>
      rateLimitAware(async (): Promise<MessageRef> => {
        if (thread) {
          const threadId = thread.threadId ?? (await threadOn(thread.channel, thread.messageId, reply));
          return { platform: 'discord', channel: threadId, messageId: await send(threadId, reply, outboxId) };
        }
        const messageId = await send(channel, reply, outboxId);
        const ref: MessageRef = { platform: 'discord', channel, messageId };
        // A ticket's card opens its thread right away, so people can follow it from the start.
        if (reply.ticket) ref.threadId = await threadOn(channel, messageId, reply);
        return ref;
      }),
    edit: (ref, reply) =>
      rateLimitAware(async () => {
        await rest.patch(Routes.channelMessage(ref.channel, ref.messageId), { body: renderMessage(reply) });
      }),
    dm: (userKey, reply, outboxId) =>
      rateLimitAware(async (): Promise<MessageRef> => {
        const userId = discordId(userKey);
        if (!userId) throw new PermanentDeliveryError('not_a_discord_user');
        const dm = (await rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as { id: string };
        return { platform: 'discord', channel: dm.id, messageId: await send(dm.id, reply, outboxId) };
      }),
  };
}

/** Outbox routes reject on 429 (the worker retries later); interaction answers wait as usual. */
export function rejectOutboxRateLimits(data: { route: string }): boolean {
  return data.route.startsWith('/channels') || data.route.startsWith('/users');
}
