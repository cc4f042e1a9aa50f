import { z } from 'zod';

/**
 * ⚓ The MONITA feed (DESIGN §5). The mock serves these shapes and the client validates every
 * item against them: an item that does not fit is skipped, never trusted.
 */
export const MONITA_STATUSES = [
  'OPEN',
  'ASSIGNED',
  'ON_THE_WAY',
  'ON_SITE',
  'REPAIRING',
  'RESOLVED',
  'CLOSED',
] as const;
export type MonitaStatus = (typeof MONITA_STATUSES)[number];

/** MONITA fault ticket ids: "IN" and digits (e.g. IN123456789). */
export const MONITA_TICKET_ID = /^IN\d{4,15}$/;
export const isMonitaTicketId = (v: string): boolean => MONITA_TICKET_ID.test(v);

const isoDateTime = z.iso.datetime({ offset: true });

export const monitaUpdateSchema = z.object({
  id: z.string().min(1).max(200),
  ticketId: z.string().min(1).max(64),
  status: z.enum(MONITA_STATUSES),
  stage: z.string().min(1).max(500),
  note: z.string().max(2000).nullable().default(''),
  updatedAt: isoDateTime,
});
export type MonitaUpdate = z.output<typeof monitaUpdateSchema>;

/**
 * The page envelope. Items stay `unknown` here on purpose: each one is validated on its own so
 * one bad item costs only itself.
 */
export const monitaPageSchema = z.object({
  updates: z.array(z.unknown()),
  nextCursor: z.string().max(200).nullable(),
});
export type MonitaPageEnvelope = z.output<typeof monitaPageSchema>;

export interface MonitaPage {
  updates: MonitaUpdate[];
  nextCursor: string | null;
  /** Items in the page that failed validation (logged and skipped). */
  skipped: number;
  /** How many items the feed sent, valid or not: a full page means there may be more. */
  received: number;
}

export const monitaTicketSchema = z.object({
  ticketId: z.string().min(1).max(64),
  status: z.enum(MONITA_STATUSES),
  stage: z.string().min(1).max(500),
  updatedAt: isoDateTime,
});
export type MonitaTicketState = z.output<typeof monitaTicketSchema>;

/** mock only: POST /api/tickets */
export const createTicketInputSchema = z.object({
  customerId: z.string().min(1).max(64),
  service: z.enum(['indihome', 'internet', 'telepon', 'global', 'imes']),
  symptom: z.string().min(1).max(1000),
});
export type CreateTicketInput = z.output<typeof createTicketInputSchema>;

export const createTicketOutputSchema = z.object({ ticketId: z.string().regex(MONITA_TICKET_ID) });
