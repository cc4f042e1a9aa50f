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

/** One platform's delivery side; implemented by the console, Slack and Discord adapters. */
export interface Deliverer {
  platform: string;
  /** Post a message; `thread` is set when it belongs in a ticket's thread. Returns where it landed. */
  post(channel: string, reply: Reply, thread?: MessageRef): Promise<MessageRef>;
  /** Edit a message posted before. */
  edit(ref: MessageRef, reply: Reply): Promise<void>;
  /** Direct message to a platform user key. */
  dm(userKey: string, reply: Reply): Promise<MessageRef>;
}

/** A platform rate-limit answer: the worker waits this long for that channel only. */
export class RateLimited extends Error {
  constructor(readonly retryAfterMs: number) {
    super(`rate limited for ${retryAfterMs} ms`);
  }
}
