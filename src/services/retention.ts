/**
 * UU PDP retention (DESIGN §8, `POSKO_RETENTION_DAYS`): the customer's values of tickets closed
 * longer ago are erased, the record kept. Per ticket, in one transaction:
 * - the sealed columns (name, customer ID, contact, complaint) become '' — the erased value
 *   (src/crypto/column.ts) — and customer_index `erased:<id>`: never a blind index (base64url has
 *   no ':'), so no lookup finds the customer, the start-up reseal (customer_index IS NULL) and key
 *   rotation (every value '') pass the row by, and no two rows share it;
 * - the free text of its events (`text`: notes, updates, the repeat complaint, reasons, call
 *   notes; `note`: MONITA's) and of its escalations (reason, decision note) is emptied; types,
 *   times, actors and the KPI fields (result, slaMet, withinSla, outcome, path, code, rating…)
 *   stay, so the digest counts the same;
 * - its messages already sent or given up are deleted from the outbox (their text carried the
 *   complaint and masked values); one still waiting is sent first and erased by the next run;
 * - a `data_erased` event by posko records it on the ticket.
 * Each run writes one audit_log row (`retention_erased`) with counts, never values.
 */
import { and, asc, eq, inArray, isNull, lte, ne, sql } from 'drizzle-orm';
import type { Core } from '../app.js';
import { auditLog, escalations, outbox, ticketEvents, tickets } from '../db/schema.js';
import { appendEvents } from './audit.js';

const DAY = 86_400_000;
const BATCH = 200;
export const SYSTEM_ACTOR = 'posko';
/** The customer_index of an erased ticket: unique per row, and never a blind index. */
export const erasedIndex = (id: number) => `erased:${id}`;

export interface RetentionReport {
  days: number;
  cutoff: Date;
  tickets: number;
  events: number;
  escalations: number;
  messages: number;
}

export async function eraseExpired(core: Core, now: Date): Promise<RetentionReport> {
  const days = core.config.POSKO_RETENTION_DAYS;
  const cutoff = new Date(now.getTime() - days * DAY);
  const report: RetentionReport = { days, cutoff, tickets: 0, events: 0, escalations: 0, messages: 0 };
  for (;;) {
    const erased = await core.db.transaction(async (tx) => {
      // The one door through ticket_events' append-only trigger (migration 0007), this transaction only.
      await tx.execute(sql`select set_config('posko.retention', 'on', true)`);
      const batch = await tx
        .select({ id: tickets.id, number: tickets.number })
        .from(tickets)
        .where(and(eq(tickets.status, 'closed'), isNull(tickets.erasedAt), lte(tickets.closedAt, cutoff)))
        .orderBy(asc(tickets.closedAt), asc(tickets.id))
        .limit(BATCH)
        .for('update', { skipLocked: true });
      if (batch.length === 0) return 0;
      const ids = batch.map((t) => t.id);
      await tx
        .update(tickets)
        .set({
          customerId: '',
          customerName: '',
          contact: '',
          complaint: '',
          customerIndex: sql`'erased:' || ${tickets.id}`,
          erasedAt: now,
        })
        .where(inArray(tickets.id, ids));
      const events = await tx
        .update(ticketEvents)
        .set({
          payload: sql`(
            case when ${ticketEvents.payload} ? 'text' then jsonb_set(${ticketEvents.payload}, '{text}', '""') else ${ticketEvents.payload} end
          ) || case when ${ticketEvents.payload} ? 'note' then '{"note":""}'::jsonb else '{}'::jsonb end`,
        })
        .where(
          and(
            inArray(ticketEvents.ticketId, ids),
            sql`(coalesce(${ticketEvents.payload}->>'text', '') <> '' or coalesce(${ticketEvents.payload}->>'note', '') <> '')`,
          ),
        )
        .returning({ id: ticketEvents.id });
      const escs = await tx
        .update(escalations)
        .set({ reason: '', decisionNote: null })
        .where(inArray(escalations.ticketId, ids))
        .returning({ id: escalations.id });
      const messages = await tx
        .delete(outbox)
        .where(
          and(
            ne(outbox.status, 'pending'),
            inArray(
              sql`${outbox.payload}->'reply'->>'ticket'`,
              batch.map((t) => t.number),
            ),
          ),
        )
        .returning({ id: outbox.id });
      await appendEvents(
        tx,
        ids.map((ticketId) => ({
          ticketId,
          type: 'data_erased' as const,
          actor: SYSTEM_ACTOR,
          at: now,
          payload: { days },
        })),
      );
      report.events += events.length;
      report.escalations += escs.length;
      report.messages += messages.length;
      return batch.length;
    });
    report.tickets += erased;
    if (erased < BATCH) break;
  }
  await core.db.insert(auditLog).values({
    type: 'retention_erased',
    actor: SYSTEM_ACTOR,
    at: now,
    payload: {
      days,
      cutoff: cutoff.toISOString(),
      tickets: report.tickets,
      events: report.events,
      escalations: report.escalations,
      messages: report.messages,
    },
  });
  return report;
}
