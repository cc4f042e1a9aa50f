import { and, desc, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Core } from '../app.js';
import { monitaCursor, ticketEvents, tickets } from '../db/schema.js';
import { type MonitaClient, MonitaUnavailable } from '../monita/client.js';
import type { MonitaUpdate } from '../monita/feed.js';
import { monitaMetrics, recordMonitaPage } from '../monita/metrics.js';
import {
  claimMonitaUpdates,
  ensureMockMonitaTicket,
  latestMonitaTimes,
  type MonitaStage,
  recordMonitaUpdates,
  ticketsByMonitaId,
} from '../services/monita.js';
import type { Job, JobResult } from './types.js';

/**
 * monita-poll (P5.9, P5.11): pull MONITA updates from the cursor kept in `monita_cursor`, and put
 * each new stage into its ticket's history and thread exactly once.
 *
 * - One transaction per page: the page's update ids are claimed in `inbound_dedupe`
 *   (`monita:<id>`), its events and outbox rows written, and the cursor moved — together. A crash
 *   mid-page leaves the cursor where it was; the retry finds the ids already claimed.
 * - The cursor row is locked and compared first: if another runner moved it meanwhile, this one
 *   stops (its work would only be duplicates).
 * - Cost follows the updates: the page's MONITA ids are looked up at once through the index, and
 *   the page is written with a few statements (claims, events, statuses, thread posts), not per update.
 * - A feed that is down, slow or answers garbage ends the tick quietly (one log line); the cursor
 *   stays, so the next tick catches up.
 */

export const MONITA_FEED = 'monita';

export interface MonitaPollOptions {
  /** Updates asked per page. */
  pageSize?: number;
  /** Pages per tick at most, so one tick stays bounded after a long outage. */
  maxPages?: number;
  /** Key of the cursor row (one per feed). */
  feed?: string;
}

export interface MonitaPollResult extends JobResult {
  /** False when the feed was unavailable; what came before that is kept. */
  ok: boolean;
  pages: number;
  /** Stages posted (one outbox row and one event per linked ticket). */
  posted: number;
  /** Update ids seen before (repeats within or across ticks). */
  repeated: number;
  /** Updates naming a MONITA ticket no open posko ticket is linked to. */
  unknown: number;
  /** Items the client dropped as malformed. */
  invalid: number;
  /** True when the tick stopped at maxPages with more probably waiting. */
  more: boolean;
}

export async function pollMonita(
  core: Core,
  client: MonitaClient,
  now: Date,
  opts: MonitaPollOptions = {},
): Promise<MonitaPollResult> {
  const pageSize = opts.pageSize ?? 100;
  const maxPages = opts.maxPages ?? 20;
  const feed = opts.feed ?? MONITA_FEED;
  const result: MonitaPollResult = {
    ok: true,
    detail: '',
    pages: 0,
    posted: 0,
    repeated: 0,
    unknown: 0,
    invalid: 0,
    more: false,
    queued: 0,
  };

  await core.db.insert(monitaCursor).values({ feed, cursor: null, updatedAt: now }).onConflictDoNothing();
  const [row] = await core.db.select().from(monitaCursor).where(eq(monitaCursor.feed, feed));
  let cursor = row?.cursor ?? null;

  for (;;) {
    if (result.pages >= maxPages) {
      result.more = true;
      break;
    }
    let page: Awaited<ReturnType<MonitaClient['fetchUpdates']>>;
    try {
      page = await client.fetchUpdates(cursor, pageSize);
    } catch (err) {
      if (!(err instanceof MonitaUnavailable)) throw err;
      core.log.warn({ job: 'monita-poll', err: err.message }, 'MONITA unavailable: tick ends, the next one catches up');
      result.ok = false;
      monitaMetrics.errors.inc();
      break;
    }
    result.pages++;
    recordMonitaPage(
      page.updates.map((u) => u.updatedAt),
      now,
    );
    result.invalid += page.skipped;
    const applied = await applyPage(core, feed, cursor, page.updates, page.nextCursor ?? cursor, now);
    if (!applied) {
      core.log.info({ job: 'monita-poll' }, 'MONITA cursor moved by another runner: this tick stops');
      break;
    }
    result.posted += applied.posted;
    result.repeated += applied.repeated;
    result.unknown += applied.unknown;
    const next = page.nextCursor ?? cursor;
    // A short page is the end; a cursor that does not move would only loop.
    if (page.received < pageSize || next === cursor) break;
    cursor = next;
  }
  result.queued = result.posted;
  result.detail =
    `${result.posted} MONITA stages posted, ${result.repeated} repeats, ${result.unknown} for unlinked tickets, ` +
    `${result.invalid} invalid${result.more ? ', more waiting' : ''}${result.ok ? '' : '; MONITA unavailable'}`;
  return result;
}

interface PageOutcome {
  posted: number;
  repeated: number;
  unknown: number;
}

async function applyPage(
  core: Core,
  feed: string,
  from: string | null,
  updates: MonitaUpdate[],
  next: string | null,
  now: Date,
): Promise<PageOutcome | null> {
  return core.db.transaction(async (tx) => {
    const [locked] = await tx.select().from(monitaCursor).where(eq(monitaCursor.feed, feed)).for('update');
    if ((locked?.cursor ?? null) !== from) return null;
    const out: PageOutcome = { posted: 0, repeated: 0, unknown: 0 };
    const linked = await ticketsByMonitaId(
      tx,
      updates.map((u) => u.ticketId),
    );
    const latest = await latestMonitaTimes(
      tx,
      [...linked.values()].flat().map((t) => t.id),
    );
    const fresh = await claimMonitaUpdates(
      tx,
      updates.filter((u) => linked.has(u.ticketId)).map((u) => u.id),
      now,
    );
    const stages: MonitaStage[] = [];
    for (const update of updates) {
      const targets = linked.get(update.ticketId);
      if (!targets) {
        out.unknown++;
        // debug, not info: a real feed carries every fault in the region, most of them not ours.
        core.log.debug(
          { job: 'monita-poll', monitaId: update.ticketId, updateId: update.id },
          'MONITA update for no linked ticket: skipped',
        );
        continue;
      }
      // Claimed now, and only its first time in this page: anything else was applied before.
      if (!fresh.delete(update.id)) {
        out.repeated++;
        continue;
      }
      const at = new Date(update.updatedAt).toISOString();
      for (const ticket of targets) {
        const newest = at >= (latest.get(ticket.id) ?? '');
        if (newest) latest.set(ticket.id, at);
        stages.push({ ticket, update, newest });
        out.posted++;
      }
    }
    await recordMonitaUpdates(core, tx, stages, now);
    await tx.update(monitaCursor).set({ cursor: next, updatedAt: now }).where(eq(monitaCursor.feed, feed));
    return out;
  });
}

/**
 * Mock mode (MONITA_URL unset): open tickets without a MONITA link get a fault ticket in the mock,
 * and tickets linked with `monita=IN…` that have heard nothing yet are registered in it (the mock
 * cannot know ids agents type). The open hook `afterTicketOpenedMonita` normally does this at
 * once; this catches what it missed. Bounded, and in mock mode only, so a real deployment never
 * scans open tickets. Registering a known id again is a no-op in the mock.
 */
export async function linkMockTickets(core: Core, client: MonitaClient, limit = 20): Promise<number> {
  if (core.config.MONITA_URL) return 0;
  const active = inArray(tickets.status, ['open', 'escalated']);
  const unlinked = await core.db
    .select()
    .from(tickets)
    .where(and(active, isNull(tickets.monitaId)))
    .orderBy(tickets.id)
    .limit(limit);
  const silent = await core.db
    .select()
    .from(tickets)
    .where(
      and(
        active,
        isNotNull(tickets.monitaId),
        sql`NOT EXISTS (SELECT 1 FROM ${ticketEvents} e WHERE e.ticket_id = ${tickets.id} AND e.type = 'monita_update')`,
      ),
    )
    .orderBy(desc(tickets.id))
    .limit(limit);
  let linked = 0;
  for (const ticket of [...unlinked, ...silent]) {
    try {
      if ((await ensureMockMonitaTicket(core, client, ticket)) && !ticket.monitaId) linked++;
    } catch (err) {
      if (!(err instanceof MonitaUnavailable)) throw err;
      break;
    }
  }
  return linked;
}

export const monitaPollJob: Job = {
  name: 'monita-poll',
  // The demo needs progress within a couple of minutes: with the mock and the default schedule,
  // poll every minute instead of every five.
  cron: (config) =>
    !config.MONITA_URL && config.MONITA_POLL_CRON === '*/5 * * * *' ? '* * * * *' : config.MONITA_POLL_CRON,
  async run(core, now) {
    // start.ts / the job CLI connect core.monita (MONITA_URL, or the in-process mock).
    const client = core.monita;
    if (!client) return { detail: 'MONITA not connected in this process: nothing polled' };
    const linked = await linkMockTickets(core, client);
    const result = await pollMonita(core, client, now);
    return linked > 0 ? { ...result, detail: `${linked} mock fault tickets created; ${result.detail}` } : result;
  },
};
