import { and, eq, sql } from 'drizzle-orm';
import type { Core } from '../app.js';
import { viewerOf } from '../command/dispatch.js';
import { escalations, type MessageRef, outbox, tickets } from '../db/schema.js';
import { queueReply } from '../services/my-queue.js';
import { getActor } from '../services/roster.js';
import {
  type DeliveredWhere,
  type Deliverer,
  type HomeRefresh,
  type OutboxMessage,
  PermanentDeliveryError,
  RateLimited,
  TransientDeliveryError,
  WaitingForTarget,
} from './types.js';

export type Row = typeof outbox.$inferSelect;

/**
 * Sends one claimed row through its platform's deliverer and records where a tracked message
 * landed. A thread message or edit whose target (the card, the request message) has no platform
 * message can never be delivered: a channel sends in order, so its target was given up before it.
 */
export async function sendRow(
  core: Core,
  deliverer: Deliverer,
  row: Row,
  timeoutMs: number,
): Promise<MessageRef | null> {
  return withTimeout(deliverOne(core, deliverer, row), timeoutMs);
}

async function deliverOne(core: Core, deliverer: Deliverer, row: Row): Promise<MessageRef | null> {
  const home = row.payload as unknown as OutboxMessage | HomeRefresh;
  if (home.kind === 'home') {
    if (!deliverer.publishHome) throw new PermanentDeliveryError('home_unsupported');
    // Read now, not when queued: the publish that ends a burst shows the state after all of it.
    const actor = await getActor(core, home.user);
    const reply = await queueReply(core, viewerOf(core, actor.locale ?? core.locale), actor, core.clock());
    await deliverer.publishHome(home.user, reply);
    return null;
  }
  const message = home;
  if (message.kind === 'edit') {
    const ref = await targetRef(core, message.target);
    if (!ref) {
      // Edits have a lane of their own (lanes.ts): the message may still be queued in its post lane.
      if (await targetQueued(core, row, message.target)) throw new WaitingForTarget();
      throw new PermanentDeliveryError('target_not_delivered');
    }
    await deliverer.edit(ref, message.reply);
    return ref;
  }
  const inThread = !message.dmTo && message.threadOfTicket !== undefined;
  const thread = inThread ? await targetRef(core, { ticketCard: message.threadOfTicket as number }) : null;
  if (inThread && !thread) throw new PermanentDeliveryError('target_not_delivered');
  const where = { channel: row.channel, dmTo: message.dmTo, thread: thread ?? undefined, since: row.createdAt };
  const ref =
    (await deliveredBefore(core, deliverer, row, where)) ??
    (message.dmTo
      ? await deliverer.dm(message.dmTo, message.reply, row.id)
      : await deliverer.post(row.channel, message.reply, thread ?? undefined, row.id));
  if (message.track && 'ticketCard' in message.track)
    await core.db.update(tickets).set({ cardRef: ref }).where(eq(tickets.id, message.track.ticketCard));
  if (message.track && 'escalation' in message.track)
    await core.db.update(escalations).set({ messageRef: ref }).where(eq(escalations.id, message.track.escalation));
  return ref;
}

/**
 * A row claimed before (attempts counts claims; a 429 gives its claim back) may have reached the
 * platform while its sender died or timed out before recording it. Where the platform can be
 * asked, look first, so that message is recorded rather than posted twice. A lookup that fails
 * otherwise (an app installed without the history scopes) posts again.
 */
async function deliveredBefore(
  core: Core,
  deliverer: Deliverer,
  row: Row,
  where: DeliveredWhere,
): Promise<MessageRef | null> {
  if (row.attempts <= 1 || !deliverer.findDelivered) return null;
  try {
    const found = await deliverer.findDelivered(row.id, where);
    if (found) core.log.info({ outboxId: row.id, platform: row.platform }, 'outbox message found already delivered');
    return found;
  } catch (err) {
    if (err instanceof RateLimited) throw err;
    core.log.warn({ outboxId: row.id, err: errorText(err) }, 'could not look for an earlier delivery; sending again');
    return null;
  }
}

/** True while the post that will create the target is still pending in its channel. */
async function targetQueued(
  core: Core,
  row: Row,
  target: { ticketCard: number } | { escalation: number },
): Promise<boolean> {
  const [found] = await core.db
    .select({ id: outbox.id })
    .from(outbox)
    .where(
      and(
        eq(outbox.platform, row.platform),
        eq(outbox.status, 'pending'),
        sql`${outbox.payload}->'track' = ${JSON.stringify(target)}::jsonb`,
      ),
    )
    .limit(1);
  return found !== undefined;
}

async function targetRef(
  core: Core,
  target: { ticketCard: number } | { escalation: number },
): Promise<MessageRef | null> {
  if ('ticketCard' in target) {
    const [t] = await core.db.select({ ref: tickets.cardRef }).from(tickets).where(eq(tickets.id, target.ticketCard));
    return t?.ref ?? null;
  }
  const [e] = await core.db
    .select({ ref: escalations.messageRef })
    .from(escalations)
    .where(eq(escalations.id, target.escalation));
  return e?.ref ?? null;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TransientDeliveryError('timeout')), ms);
    timer.unref?.();
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
