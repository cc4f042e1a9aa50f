import { and, asc, eq, inArray, lte, sql } from 'drizzle-orm';
import type { Core } from '../app.js';
import { escalations, type MessageRef, outbox, tickets } from '../db/schema.js';
import { type Deliverer, type OutboxMessage, RateLimited } from './types.js';

type Row = typeof outbox.$inferSelect;

/** How long a claimed row stays invisible to other workers; a crash makes it claimable again. */
const LEASE_MS = 30_000;
const MAX_ATTEMPTS = 8;

class NotReady extends Error {}

/**
 * One pass over the due rows of one platform: claim (SKIP LOCKED, so workers on several
 * instances never take the same row), deliver in order, record where each message landed.
 */
export async function deliverDue(core: Core, deliverer: Deliverer, opts: { limit?: number } = {}): Promise<number> {
  const now = core.clock();
  const claimed = await core.db.transaction(async (tx) => {
    const due = await tx
      .select({ id: outbox.id })
      .from(outbox)
      .where(and(eq(outbox.platform, deliverer.platform), eq(outbox.status, 'pending'), lte(outbox.notBefore, now)))
      .orderBy(asc(outbox.id))
      .limit(opts.limit ?? 100)
      .for('update', { skipLocked: true });
    if (due.length === 0) return [] as Row[];
    return tx
      .update(outbox)
      .set({ notBefore: new Date(now.getTime() + LEASE_MS) })
      .where(
        inArray(
          outbox.id,
          due.map((d) => d.id),
        ),
      )
      .returning();
  });
  claimed.sort((a, b) => a.id - b.id);
  const blocked = new Set<string>();
  let delivered = 0;
  for (const row of claimed) {
    if (blocked.has(row.channel)) {
      await release(core, row, now);
      continue;
    }
    try {
      const ref = await deliverOne(core, deliverer, row);
      await core.db
        .update(outbox)
        .set({
          status: 'sent',
          sentAt: core.clock(),
          platformMessageId: ref?.messageId ?? null,
          attempts: row.attempts + 1,
        })
        .where(eq(outbox.id, row.id));
      delivered++;
    } catch (err) {
      // Later messages of this channel wait too, so a thread never shows them out of order.
      blocked.add(row.channel);
      await retryLater(core, row, err);
    }
  }
  return delivered;
}

async function deliverOne(core: Core, deliverer: Deliverer, row: Row): Promise<MessageRef | null> {
  const message = row.payload as unknown as OutboxMessage;
  if (message.kind === 'edit') {
    const ref = await targetRef(core, message.target);
    if (!ref) throw new NotReady();
    await deliverer.edit(ref, message.reply);
    return ref;
  }
  let ref: MessageRef;
  if (message.dmTo) ref = await deliverer.dm(message.dmTo, message.reply);
  else if (message.threadOfTicket !== undefined) {
    const card = await targetRef(core, { ticketCard: message.threadOfTicket });
    if (!card) throw new NotReady();
    ref = await deliverer.post(row.channel, message.reply, card);
  } else ref = await deliverer.post(row.channel, message.reply);
  if (message.track && 'ticketCard' in message.track)
    await core.db.update(tickets).set({ cardRef: ref }).where(eq(tickets.id, message.track.ticketCard));
  if (message.track && 'escalation' in message.track)
    await core.db.update(escalations).set({ messageRef: ref }).where(eq(escalations.id, message.track.escalation));
  return ref;
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

async function release(core: Core, row: Row, now: Date): Promise<void> {
  await core.db.update(outbox).set({ notBefore: now }).where(eq(outbox.id, row.id));
}

async function retryLater(core: Core, row: Row, err: unknown): Promise<void> {
  const now = core.clock().getTime();
  if (err instanceof NotReady) {
    await core.db
      .update(outbox)
      .set({ notBefore: new Date(now + 1000) })
      .where(eq(outbox.id, row.id));
    return;
  }
  if (err instanceof RateLimited) {
    await core.db
      .update(outbox)
      .set({ notBefore: new Date(now + err.retryAfterMs) })
      .where(eq(outbox.id, row.id));
    return;
  }
  const attempts = row.attempts + 1;
  const dead = attempts >= MAX_ATTEMPTS;
  const message = err instanceof Error ? err.message : String(err);
  core.log[dead ? 'error' : 'warn'](
    { outboxId: row.id, channel: row.channel, attempts, err: message },
    dead ? 'outbox message dead' : 'outbox delivery failed',
  );
  await core.db
    .update(outbox)
    .set({
      attempts,
      lastError: message.slice(0, 500),
      status: dead ? 'dead' : 'pending',
      notBefore: new Date(now + Math.min(60_000, 500 * 2 ** attempts)),
    })
    .where(eq(outbox.id, row.id));
}

/** Pending rows, for /metrics and the digest. */
export async function outboxDepth(core: Core): Promise<number> {
  const [row] = await core.db
    .select({ n: sql<number>`count(*)::int` })
    .from(outbox)
    .where(eq(outbox.status, 'pending'));
  return row?.n ?? 0;
}

/** Drains every platform's due rows on a short timer until stopped. */
export function startOutboxWorker(core: Core, deliverers: Deliverer[], intervalMs = 250): { stop(): Promise<void> } {
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const tick = async () => {
    for (const d of deliverers) {
      try {
        while (!stopped && (await deliverDue(core, d)) > 0) {}
      } catch (err) {
        core.log.warn({ platform: d.platform, err: (err as Error).message }, 'outbox pass failed');
      }
    }
  };
  const timer = setInterval(() => {
    running = running.then(tick);
  }, intervalMs);
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
