import type { MessageRef } from '../db/schema.js';
import type { Reply } from '../reply.js';

/**
 * What an outbox row asks an adapter to do. Rows are written in the same transaction as the
 * change they report; the worker resolves thread and edit targets from the database at delivery.
 */
export type OutboxMessage =
  | {
      kind: 'post';
      reply: Reply;
      /** Post in this ticket's thread (the card's thread); waits until the card is delivered. */
      threadOfTicket?: number;
      /** Direct message to this user key instead of a channel. */
      dmTo?: string;
      /** Remember where this message landed, so later edits can find it. */
      track?: { ticketCard: number } | { escalation: number };
    }
  | {
      kind: 'edit';
      reply: Reply;
      target: { ticketCard: number } | { escalation: number };
    };

/**
 * An outbox row that carries no message: refresh this user's home view (Slack App Home) with
 * their queue as it is when sent. Apart from OutboxMessage, as it has no reply to show or retry.
 */
export interface HomeRefresh {
  kind: 'home';
  user: string;
}

/** One platform's delivery side; implemented by the console, Slack and Discord adapters. */
export interface Deliverer {
  platform: string;
  /**
   * Post a message; `thread` is set when it belongs in a ticket's thread. Returns where it landed.
   * `outboxId` marks the message on platforms that can carry a marker, for `findDelivered`.
   */
  post(channel: string, reply: Reply, thread?: MessageRef, outboxId?: number): Promise<MessageRef>;
  /** Edit a message posted before. */
  edit(ref: MessageRef, reply: Reply): Promise<void>;
  /** Direct message to a platform user key. */
  dm(userKey: string, reply: Reply, outboxId?: number): Promise<MessageRef>;
  /** Replace the user's home view (Slack's App Home) with this reply; platforms without one leave it out. */
  publishHome?(userKey: string, reply: Reply): Promise<void>;
  // Errors: throw RateLimited on a 429, PermanentDeliveryError when retrying cannot help;
  // anything else is retried with backoff.
  /**
   * Where the message marked `outboxId` already landed, or null. Asked before sending a row again
   * whose earlier attempt may have reached the platform unrecorded (the sender died mid-send).
   */
  findDelivered?(outboxId: number, where: DeliveredWhere): Promise<MessageRef | null>;
}

/** Where an earlier attempt would have posted: a DM, a ticket's thread, or a channel; not before `since`. */
export interface DeliveredWhere {
  channel: string;
  dmTo?: string;
  thread?: MessageRef;
  since: Date;
}

/** A platform rate-limit answer: the worker waits this long for that channel only. */
export class RateLimited extends Error {
  constructor(readonly retryAfterMs: number) {
    super(`rate limited for ${retryAfterMs} ms`);
  }
}

/**
 * An edit whose message is still queued to be posted (in its channel's post lane): not the
 * platform's answer, so uncounted; its lane waits a moment and asks again.
 */
export class WaitingForTarget extends RateLimited {
  constructor() {
    super(WAIT_FOR_TARGET_MS);
  }
}
const WAIT_FOR_TARGET_MS = 250;

/**
 * The platform refused the message for good (the channel is gone, the bot was removed or lacks
 * access, the user cannot be messaged): retrying cannot help, so the row goes dead at once.
 * `code` is the platform's short error code (`channel_not_found`, `discord_50001`), never text
 * from the message, so it may be logged and shown in the health detail.
 */
export class PermanentDeliveryError extends Error {
  constructor(readonly code: string) {
    super(`permanent delivery error: ${code}`);
  }
}

/**
 * A failure worth retrying (5xx, a network error, a timeout), with the platform's short code
 * when there is one; any other error counts as transient too, with a generic code.
 */
export class TransientDeliveryError extends Error {
  constructor(
    readonly code: string,
    cause?: unknown,
  ) {
    super(`transient delivery error: ${code}`, { cause });
  }
}
