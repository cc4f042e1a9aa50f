/**
 * `ekspor`: the tickets opened in a date range as a CSV file, one row per ticket, streamed to
 * disk in keyset pages of the primary key so 100k rows never sit in memory at once (a page is
 * one short query: no cursor or transaction held open while the file is written, on PGlite
 * and PostgreSQL alike). Customer values are masked unless a supervisor asks `penuh=ya`; every
 * export is audited (`data_exported` in audit_log) before the file is handed out.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { and, asc, eq, gt, gte, lt, sql } from 'drizzle-orm';
import type { Core } from '../app.js';
import { auditLog, ticketEvents, tickets } from '../db/schema.js';
import { DomainError } from '../domain/errors.js';
import { addDays, localParts, localToInstant } from '../domain/local-time.js';
import { maskCustomerId, maskName, maskPhone } from '../domain/mask.js';
import type { Actor } from '../domain/roles.js';
import type { ReplyFile } from '../reply.js';
import { type Cell, csvRow, UTF8_BOM } from './csv.js';
import { reportPath, stamp } from './files.js';

export interface ExportRequest {
  /** YYYY-MM-DD, both days included, in POSKO_TIMEZONE. */
  from: string;
  to: string;
  team?: string;
  full: boolean;
}

export interface ExportResult {
  file: ReplyFile;
  rows: number;
  team: string | null;
}

export const EXPORT_HEADER = [
  'nomor',
  'layanan',
  'antrian',
  'tim',
  'status',
  'level_eskalasi',
  'penanggung_jawab',
  'dibuka',
  'dikonfirmasi',
  'ditutup',
  'batas_sla',
  'dalam_sla',
  'kode_penutupan',
  'kontak_ulang',
  'percobaan_panggilan',
  'nama_pelanggan',
  'id_pelanggan',
  'kontak_pelanggan',
] as const;
const TEXT_COLUMNS = new Set([15, 16, 17, 6, 12]);

/** Rows per page: small enough to keep memory flat, large enough that 100k rows take 100 queries. */
export const EXPORT_PAGE = 1000;
/** A longer range is refused: one export is a week or a month, not the whole history. */
const MAX_DAYS = 93;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function validDate(option: string, value: string): string {
  const d = new Date(`${value}T00:00:00Z`);
  if (!DATE.test(value) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value)
    throw new DomainError('invalid_input', 'err.badDate', { option, value });
  return value;
}

/** TL: own team only (by default); SPV: every team or one; full data: SPV only. */
export function exportScope(actor: Actor, req: ExportRequest): string | null {
  if (actor.role !== 'team_leader' && actor.role !== 'supervisor')
    throw new DomainError('forbidden', 'err.roleForbidden', { command: 'ekspor' });
  if (req.full && actor.role !== 'supervisor') throw new DomainError('forbidden', 'err.exportFullSpvOnly');
  if (actor.role === 'team_leader') {
    if (req.team && req.team !== actor.team)
      throw new DomainError('forbidden', 'err.exportOtherTeam', { team: req.team });
    return actor.team;
  }
  return req.team ?? null;
}

const DAY_MS = 86_400_000;

export async function exportTickets(core: Core, actor: Actor, req: ExportRequest): Promise<ExportResult> {
  const team = exportScope(actor, req);
  const tz = core.config.POSKO_TIMEZONE;
  const fromDay = validDate('dari', req.from);
  const toDay = validDate('sampai', req.to);
  const from = localToInstant(fromDay, 0, tz);
  const until = localToInstant(addDays(toDay, 1), 0, tz);
  if (until <= from) throw new DomainError('invalid_input', 'err.exportRange', { option: 'sampai', value: toDay });
  if (until.getTime() - from.getTime() > (MAX_DAYS + 1) * DAY_MS)
    throw new DomainError('invalid_input', 'err.exportTooLong', { option: 'sampai', days: MAX_DAYS });

  const now = core.clock();
  const name = `tiket-${fromDay}_${toDay}${team ? `-${team}` : ''}${req.full ? '-penuh' : ''}-${stamp(core, now)}.csv`;
  const path = await reportPath(core, name);
  const out = createWriteStream(path, { mode: 0o600, encoding: 'utf8' });
  const write = async (chunk: string) => {
    if (!out.write(chunk)) await once(out, 'drain');
  };
  let rows = 0;
  try {
    await write(UTF8_BOM + csvRow(EXPORT_HEADER));
    for (let after = 0; ; ) {
      const page = await exportPage(core, { from, until, team, after });
      if (page.length === 0) break;
      let chunk = '';
      for (const r of page) chunk += csvRow(exportCells(r, req.full, tz), TEXT_COLUMNS);
      await write(chunk);
      rows += page.length;
      after = page[page.length - 1]!.id;
      if (page.length < EXPORT_PAGE) break;
    }
    out.end();
    await once(out, 'finish');
    // No file leaves without its audit row: the reveal rule of the data-protection issue.
    await core.db.insert(auditLog).values({
      type: 'data_exported',
      actor: actor.userKey,
      at: now,
      payload: { from: fromDay, to: toDay, team, full: req.full, rows, file: name },
    });
  } catch (err) {
    out.destroy();
    await unlink(path).catch(() => {});
    throw err;
  }
  return {
    file: { path, name, title: core.t('report.exportTitle', { from: fromDay, to: toDay }), mime: 'text/csv' },
    rows,
    team,
  };
}

// Qualified by hand: drizzle writes a bare "id" in select fields, which a subquery would read as its own.
const TICKET_ID = sql.raw('"tickets"."id"');

type ExportRow = Awaited<ReturnType<typeof exportPage>>[number];

/** One keyset page, oldest id first; the per-ticket facts from events in correlated subqueries. */
function exportPage(core: Core, p: { from: Date; until: Date; team: string | null; after: number }) {
  const lastEvent = (type: string) =>
    sql<
      Date | string | null
    >`(select max(${ticketEvents.at}) from ${ticketEvents} where ${ticketEvents.ticketId} = ${TICKET_ID} and ${ticketEvents.type} = ${type})`;
  return core.db
    .select({
      id: tickets.id,
      number: tickets.number,
      service: tickets.service,
      queue: tickets.queue,
      team: tickets.team,
      status: tickets.status,
      escalationLevel: tickets.escalationLevel,
      assignee: tickets.assignee,
      createdAt: tickets.createdAt,
      confirmedAt: lastEvent('confirmed'),
      closedAt: tickets.closedAt,
      slaDueAt: tickets.slaDueAt,
      // The verdict the service stored when it judged the SLA (src/domain/kpi.ts): at closing.
      withinSla: sql<
        string | null
      >`(select ${ticketEvents.payload}->>'withinSla' from ${ticketEvents} where ${ticketEvents.ticketId} = ${TICKET_ID} and ${ticketEvents.type} = 'closed' order by ${ticketEvents.id} desc limit 1)`,
      resolutionCode: tickets.resolutionCode,
      repeatCount: tickets.repeatCount,
      callAttempts: sql<number>`(select count(*)::int from ${ticketEvents} where ${ticketEvents.ticketId} = ${TICKET_ID} and ${ticketEvents.type} = 'call_attempt')`,
      // Customer values: when the store encrypts them (data-protection issue), decrypt these
      // three here, through the store's row decryption, before exportCells masks them.
      customerName: tickets.customerName,
      customerId: tickets.customerId,
      contact: tickets.contact,
    })
    .from(tickets)
    .where(
      and(
        gte(tickets.createdAt, p.from),
        lt(tickets.createdAt, p.until),
        gt(tickets.id, p.after),
        p.team ? eq(tickets.team, p.team) : undefined,
      ),
    )
    .orderBy(asc(tickets.id))
    .limit(EXPORT_PAGE);
}

/** `2026-12-01 08:30` on POSKO_TIMEZONE's clock (the header's times are all in that zone). */
function localTime(at: Date | string | null, tz: string): string {
  if (at === null) return '';
  const d = at instanceof Date ? at : new Date(at);
  const { date, msOfDay } = localParts(d, tz);
  const minutes = Math.floor(msOfDay / 60_000);
  return `${date} ${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

export function exportCells(r: ExportRow, full: boolean, tz: string): Cell[] {
  const within = r.withinSla === 'true' ? 'ya' : r.withinSla === 'false' ? 'tidak' : '';
  return [
    r.number,
    r.service,
    r.queue,
    r.team,
    r.status,
    r.escalationLevel,
    r.assignee,
    localTime(r.createdAt, tz),
    localTime(r.confirmedAt, tz),
    localTime(r.closedAt, tz),
    localTime(r.slaDueAt, tz),
    within,
    r.resolutionCode,
    r.repeatCount,
    Number(r.callAttempts),
    full ? r.customerName : maskName(r.customerName),
    full ? r.customerId : maskCustomerId(r.customerId),
    full ? r.contact : maskPhone(r.contact),
  ];
}
