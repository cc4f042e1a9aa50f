import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { encryptedText } from '../crypto/column.js';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** Where a message lives on its platform: enough to reply in its thread or edit it. */
export interface MessageRef {
  platform: string;
  channel: string;
  /** Slack message ts / Discord message id. */
  messageId: string;
  /** Discord: the thread channel started on the card. */
  threadId?: string;
}

export const tickets = pgTable(
  'tickets',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    // GGN- and at least six digits, derived from the id so numbers never collide.
    number: text('number')
      .notNull()
      .generatedAlwaysAs(sql`'GGN-' || CASE WHEN id < 1000000 THEN lpad(id::text, 6, '0') ELSE id::text END`),
    service: text('service').notNull(),
    queue: text('queue').notNull(),
    team: text('team').notNull(),
    // Customer data, sealed with POSKO_DATA_KEY (AES-256-GCM; src/crypto/column.ts): services see plaintext.
    customerId: encryptedText('customer_id').notNull(),
    customerName: encryptedText('customer_name').notNull(),
    contact: encryptedText('contact').notNull(),
    complaint: encryptedText('complaint').notNull(),
    /** P5.3's keyed blind index of service line and customer ID (src/crypto/blind-index.ts); null only before the start-up migration sealed a row. */
    customerIndex: text('customer_index'),
    status: text('status').notNull().default('open'),
    escalationLevel: text('escalation_level'),
    assignee: text('assignee').notNull(),
    openedBy: text('opened_by').notNull(),
    platform: text('platform').notNull(),
    channel: text('channel').notNull(),
    /** The posted card that holds the ticket's thread (set when the outbox delivers it). */
    cardRef: jsonb('card_ref').$type<MessageRef>(),
    monitaId: text('monita_id'),
    monitaStatus: text('monita_status'),
    /** A `baru=ya` ticket opened beside an open one for the same customer and service. */
    relatedTo: bigint('related_to', { mode: 'number' }),
    repeatCount: integer('repeat_count').notNull().default(0),
    slaDueAt: ts('sla_due_at').notNull(),
    lastInformedAt: ts('last_informed_at'),
    resolutionCode: text('resolution_code'),
    /** `kode=DUPLIKAT tiket=…`: the primary ticket this one duplicated. */
    duplicateOf: bigint('duplicate_of', { mode: 'number' }),
    /** The SLA clock is stopped since then, waiting on `pause_reason` (customer or telkom). */
    pausedSince: ts('paused_since'),
    pauseReason: text('pause_reason'),
    /** When the customer asked to be called back (`hubungi … jam=`), in UTC. */
    callbackAt: ts('callback_at'),
    /** Failed call attempts since the last connected call that count toward TIDAK-TERHUBUNG. */
    failedAttempts: integer('failed_attempts').notNull().default(0),
    lastFailedAttemptAt: ts('last_failed_attempt_at'),
    /** WIB, WITA or WIT: from the contact's area code or `zona=`; null means the default zone. */
    customerZone: text('customer_zone'),
    /** Telkom's reference for a ticket handed to Telkom (`ref=`). */
    telkomRef: text('telkom_ref'),
    /** The chat message the ticket was made from (Slack permalink, Discord message link); see source_messages. */
    sourceLink: text('source_link'),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
    closedAt: ts('closed_at'),
    /** When the `retention` job erased the customer's values (UU PDP); customer_index is then `erased:<id>`. */
    erasedAt: ts('erased_at'),
  },
  (t) => [
    uniqueIndex('tickets_number_idx').on(t.number),
    // P5.3: one open primary ticket per customer and service line, enforced by the database.
    uniqueIndex('tickets_one_open_per_customer_idx')
      .on(t.customerIndex)
      .where(sql`status <> 'closed' AND related_to IS NULL`),
    index('tickets_customer_index_idx').on(t.customerIndex),
    // Rows written before encryption (customer_index still null): the start-up migration's work list.
    index('tickets_unsealed_idx').on(t.id).where(sql`customer_index IS NULL`),
    index('tickets_team_status_idx').on(t.team, t.status),
    index('tickets_status_sla_idx').on(t.status, t.slaDueAt),
    index('tickets_assignee_status_idx').on(t.assignee, t.status),
    index('tickets_monita_idx').on(t.monitaId),
    index('tickets_created_idx').on(t.createdAt),
    index('tickets_closed_idx').on(t.closedAt),
    index('tickets_callback_idx').on(t.callbackAt).where(sql`callback_at IS NOT NULL`),
    // The retention job's work list: closed tickets not erased yet, oldest closing first.
    index('tickets_retention_idx').on(t.closedAt).where(sql`status = 'closed' AND erased_at IS NULL`),
  ],
);

/**
 * Chat messages tickets were made from ("Buat tiket dari pesan ini"): a message makes at most one
 * ticket, enforced by the unique index, so two concurrent submits give one ticket. The row is
 * claimed first and `ticket_id` set in the same transaction (the new ticket, or the customer's
 * open one the message was a repeat contact on): no committed row lacks it.
 */
export const sourceMessages = pgTable(
  'source_messages',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    platform: text('platform').notNull(),
    channel: text('channel').notNull(),
    message: text('message').notNull(),
    ticketId: bigint('ticket_id', { mode: 'number' }).references(() => tickets.id),
    link: text('link'),
    createdBy: text('created_by').notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('source_messages_message_idx').on(t.platform, t.channel, t.message),
    index('source_messages_ticket_idx').on(t.ticketId),
  ],
);

/** Append-only audit trail: the database refuses UPDATE and DELETE (see the trigger migration). */
export const ticketEvents = pgTable(
  'ticket_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    ticketId: bigint('ticket_id', { mode: 'number' })
      .notNull()
      .references(() => tickets.id),
    type: text('type').notNull(),
    actor: text('actor').notNull(),
    at: ts('at').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index('ticket_events_ticket_idx').on(t.ticketId, t.id), index('ticket_events_type_at_idx').on(t.type, t.at)],
);

export const escalations = pgTable(
  'escalations',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    ticketId: bigint('ticket_id', { mode: 'number' })
      .notNull()
      .references(() => tickets.id),
    level: text('level').notNull(),
    reason: text('reason').notNull(),
    requestedBy: text('requested_by').notNull(),
    requestedAt: ts('requested_at').notNull(),
    status: text('status').notNull().default('pending'),
    decidedBy: text('decided_by'),
    decidedAt: ts('decided_at'),
    decisionNote: text('decision_note'),
    lastRemindedAt: ts('last_reminded_at'),
    /** A TL request nobody answered in time moved up to the supervisors (the system's act). */
    movedAt: ts('moved_at'),
    messageRef: jsonb('message_ref').$type<MessageRef>(),
  },
  (t) => [
    // One pending request per ticket at a time, enforced by the database.
    uniqueIndex('escalations_one_pending_idx').on(t.ticketId).where(sql`status = 'pending'`),
    index('escalations_status_idx').on(t.status, t.requestedAt),
  ],
);

export const roster = pgTable('roster', {
  /** Platform user key: "slack:U123", "discord:123", "console:ani". */
  userKey: text('user_key').primaryKey(),
  role: text('role').notNull(),
  team: text('team').notNull().default('a'),
  queue: text('queue').notNull().default('reguler'),
  /** The person's own language for private answers (`peran … bahasa=en`); null: the platform's or POSKO_LOCALE. */
  locale: text('locale'),
  updatedAt: ts('updated_at').notNull(),
  updatedBy: text('updated_by').notNull(),
});

export const outbox = pgTable(
  'outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    dedupeKey: text('dedupe_key').notNull(),
    platform: text('platform').notNull(),
    /** Rate limits are paced per channel. */
    channel: text('channel').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    notBefore: ts('not_before').notNull(),
    lastError: text('last_error'),
    /** The platform's short error code of the last failure (`channel_not_found`, `http_503`): no message text. */
    lastErrorCode: text('last_error_code'),
    /** User key of the person whose command queued this message: told once if it goes dead. Null for jobs. */
    requestedBy: text('requested_by'),
    /** When the row was given up (status `dead`), for the health detail and `posko outbox dead`. */
    deadAt: ts('dead_at'),
    platformMessageId: text('platform_message_id'),
    createdAt: ts('created_at').notNull(),
    sentAt: ts('sent_at'),
  },
  (t) => [
    uniqueIndex('outbox_dedupe_idx').on(t.dedupeKey),
    index('outbox_pending_idx').on(t.platform, t.notBefore, t.id).where(sql`status = 'pending'`),
    // A channel's head (its oldest pending row) is the only one sent: found by this index.
    index('outbox_channel_pending_idx').on(t.platform, t.channel, t.id).where(sql`status = 'pending'`),
    index('outbox_dead_idx').on(t.platform, t.deadAt).where(sql`status = 'dead'`),
  ],
);

export const inboundDedupe = pgTable('inbound_dedupe', {
  key: text('key').primaryKey(),
  seenAt: ts('seen_at').notNull(),
});

export const monitaCursor = pgTable('monita_cursor', {
  feed: text('feed').primaryKey(),
  cursor: text('cursor'),
  updatedAt: ts('updated_at').notNull(),
});

export const jobRuns = pgTable(
  'job_runs',
  {
    job: text('job').notNull(),
    slot: ts('slot').notNull(),
    instance: text('instance').notNull(),
    startedAt: ts('started_at').notNull(),
    finishedAt: ts('finished_at'),
    ok: boolean('ok'),
    detail: text('detail'),
  },
  (t) => [primaryKey({ columns: [t.job, t.slot] })],
);

/** Reminders and alerts that must fire once per ticket (SLA warning, breach, …). */
export const ticketAlerts = pgTable(
  'ticket_alerts',
  {
    ticketId: bigint('ticket_id', { mode: 'number' })
      .notNull()
      .references(() => tickets.id),
    kind: text('kind').notNull(),
    at: ts('at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.ticketId, t.kind] })],
);

/**
 * Audit of acts that are about many tickets or none (a CSV export): who, when, what, and with
 * which scope. Append-only like ticket_events; per-ticket acts stay in ticket_events.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    type: text('type').notNull(),
    actor: text('actor').notNull(),
    at: ts('at').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index('audit_log_type_at_idx').on(t.type, t.at)],
);
