import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Core } from '../app.js';
import type { Tx } from '../db/index.js';
import { inboundDedupe, ticketEvents, tickets } from '../db/schema.js';
import type { MessageKey } from '../i18n/index.js';
import type { MonitaClient } from '../monita/client.js';
import type { MonitaUpdate } from '../monita/feed.js';
import { enqueueAll } from '../outbox/enqueue.js';
import { appendEvents } from './audit.js';
import { formatTime, mention, publicText, type Ticket, threadReply } from './present.js';
import { threadPost } from './ticket-store.js';

/** The actor of everything MONITA reports (history shows it as posko). */
export const MONITA_ACTOR = 'posko:monita';

/** Tickets whose handler still acts on MONITA news; a closed ticket's thread is left quiet. */
const LISTENING = ['open', 'escalated', 'confirmed'];

/** Claims update ids in the caller's transaction, in one statement; returns those not applied before. */
export async function claimMonitaUpdates(tx: Tx, updateIds: string[], at: Date): Promise<Set<string>> {
  if (updateIds.length === 0) return new Set();
  const rows = await tx
    .insert(inboundDedupe)
    .values([...new Set(updateIds)].map((id) => ({ key: `monita:${id}`, seenAt: at })))
    .onConflictDoNothing()
    .returning({ key: inboundDedupe.key });
  return new Set(rows.map((r) => r.key.slice('monita:'.length)));
}

/**
 * The tickets listening to these MONITA ids, grouped by id. Only `monita_id` is in the WHERE so the
 * planner has one choice, the MONITA-id index (a status filter there lets it scan every open
 * ticket); the few rows per id are filtered here.
 */
export async function ticketsByMonitaId(tx: Pick<Tx, 'select'>, monitaIds: string[]): Promise<Map<string, Ticket[]>> {
  const byId = new Map<string, Ticket[]>();
  if (monitaIds.length === 0) return byId;
  const rows = await tx
    .select()
    .from(tickets)
    .where(inArray(tickets.monitaId, [...new Set(monitaIds)]));
  for (const t of rows) if (LISTENING.includes(t.status)) byId.set(t.monitaId!, [...(byId.get(t.monitaId!) ?? []), t]);
  return byId;
}

/**
 * Time of the newest MONITA update already applied per ticket: an older one must not move the
 * status back. Reads these tickets' events through the (ticket_id, id) index only — filtering on
 * the type in SQL would invite a scan of every MONITA event ever written.
 */
export async function latestMonitaTimes(tx: Pick<Tx, 'select'>, ticketIds: number[]): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  if (ticketIds.length === 0) return out;
  const rows = await tx
    .select({
      ticketId: ticketEvents.ticketId,
      type: ticketEvents.type,
      at: sql<string | null>`${ticketEvents.payload}->>'updatedAt'`,
    })
    .from(ticketEvents)
    .where(inArray(ticketEvents.ticketId, ticketIds));
  for (const r of rows)
    if (r.type === 'monita_update' && r.at && r.at > (out.get(r.ticketId) ?? '')) out.set(r.ticketId, r.at);
  return out;
}

/** One MONITA update for one linked ticket; `newest` says it is the latest MONITA said about it. */
export interface MonitaStage {
  ticket: Ticket;
  update: MonitaUpdate;
  newest: boolean;
}

/**
 * P5.9: MONITA stages into their tickets' history and threads, and each ticket's status from its
 * newest; P5.11: RESOLVED asks the assignee, by mention, to confirm with the customer.
 * Runs in the caller's transaction, after the update ids were claimed there. A page of stages is
 * written with a few statements, not a few per stage: the poll's cost is its round trips.
 */
export async function recordMonitaUpdates(core: Core, tx: Tx, stages: MonitaStage[], now: Date): Promise<void> {
  if (stages.length === 0) return;
  const eventIds = await appendEvents(
    tx,
    stages.map(({ ticket, update }) => ({
      ticketId: ticket.id,
      type: 'monita_update' as const,
      actor: MONITA_ACTOR,
      at: now,
      payload: {
        updateId: update.id,
        monitaId: update.ticketId,
        status: update.status,
        stage: update.stage,
        note: update.note ?? '',
        // Normalised to UTC so newest-first comparisons of the stored text are correct.
        updatedAt: new Date(update.updatedAt).toISOString(),
      },
    })),
  );

  // One update per MONITA status (a handful), not one per ticket.
  const newestStatus = new Map<number, string>();
  for (const s of stages) if (s.newest) newestStatus.set(s.ticket.id, s.update.status);
  const byStatus = new Map<string, number[]>();
  for (const [id, status] of newestStatus) byStatus.set(status, [...(byStatus.get(status) ?? []), id]);
  for (const [status, ids] of byStatus)
    await tx.update(tickets).set({ monitaStatus: status, updatedAt: now }).where(inArray(tickets.id, ids));

  await enqueueAll(
    tx,
    stages.map(({ ticket, update }, i) =>
      threadPost(ticket, monitaReply(core, ticket, update), `ev:${eventIds[i]}`, now),
    ),
  );
}

function monitaReply(core: Core, ticket: Ticket, update: MonitaUpdate) {
  const status = core.t(`monita.status.${update.status}` as MessageKey);
  const lines = [
    core.t('monita.update', {
      monita: update.ticketId,
      status,
      stage: publicText(update.stage, ticket),
      time: formatTime(core, new Date(update.updatedAt)),
    }),
  ];
  if (update.note?.trim()) lines.push(publicText(update.note, ticket));
  const mentions: string[] = [];
  // Only while the customer has not confirmed yet: after that there is nothing left to ask.
  if (update.status === 'RESOLVED' && (ticket.status === 'open' || ticket.status === 'escalated')) {
    lines.push(core.t('monita.resolvedAsk', { who: mention(ticket.assignee), ticket: ticket.number }));
    mentions.push(ticket.assignee);
  }
  return threadReply(core, ticket, lines.join('\n'), { mentions });
}

/**
 * Mock mode only (MONITA_URL unset): give a just-opened ticket its fault ticket in the mock, so the
 * demo shows progress. A ticket linked with `monita=IN…` registers that id in the mock (with the
 * ticket's service line); an unlinked one gets a new id stored in `tickets.monita_id`.
 * Called after the open transaction committed; the HTTP call never holds a transaction.
 * Returns the MONITA id, or null when there is nothing to do.
 */
export async function ensureMockMonitaTicket(core: Core, client: MonitaClient, ticket: Ticket): Promise<string | null> {
  if (core.config.MONITA_URL) return null;
  if (ticket.status === 'closed') return null;
  const input = {
    customerId: ticket.customerId,
    service: ticket.service as 'indihome',
    symptom: ticket.complaint.slice(0, 1000),
  };
  if (ticket.monitaId) return client.createTicket({ ...input, ticketId: ticket.monitaId });
  // A mock restarted on a kept database (same seed) hands out ids it gave before: skip any id a
  // ticket already holds, or that ticket would hear this one's stages.
  let monitaId = await client.createTicket(input);
  for (let tries = 0; tries < 10 && (await monitaIdTaken(core, monitaId)); tries++)
    monitaId = await client.createTicket(input);
  // Only if still unlinked: a concurrent run must not overwrite another link.
  const linked = await core.db
    .update(tickets)
    .set({ monitaId })
    .where(and(eq(tickets.id, ticket.id), isNull(tickets.monitaId)))
    .returning({ id: tickets.id });
  if (linked.length === 0) return null;
  core.log.info({ ticket: ticket.number, monitaId }, 'mock MONITA fault ticket created');
  return monitaId;
}

async function monitaIdTaken(core: Core, monitaId: string): Promise<boolean> {
  const rows = await core.db.select({ id: tickets.id }).from(tickets).where(eq(tickets.monitaId, monitaId)).limit(1);
  return rows.length > 0;
}

/**
 * The hook for after `buka` committed (mock mode only): links the new ticket to a mock fault
 * ticket at once, so progress starts with the ticket. Never throws: the poll job's
 * `linkMockTickets` catches up on anything this missed.
 */
export function afterTicketOpenedMonita(core: Core, ticket: Ticket): Promise<void> {
  const monita = core.monita;
  if (core.config.MONITA_URL || !monita) return Promise.resolve();
  const link = ensureMockMonitaTicket(core, monita, ticket)
    .then(() => {})
    .catch((err) => {
      core.log.warn({ ticket: ticket.number, err, customer: ticket }, 'mock MONITA link failed; the next poll retries');
    })
    .finally(() => linking.delete(link));
  linking.add(link);
  return link;
}

/** Links started by `buka` and not finished yet: the mock waits for them before it closes. */
const linking = new Set<Promise<void>>();

/** Resolves once every link started so far has finished (quitting right after `buka`). */
export async function settleMockLinks(): Promise<void> {
  await Promise.all([...linking]);
}
