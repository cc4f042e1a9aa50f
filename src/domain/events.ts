/** Audit event types written to ticket_events; the checklist and the KPIs are derived from them. */
export const EVENT_TYPES = [
  'opened',
  'repeat_contact',
  'note',
  'informed',
  'escalation_requested',
  'escalation_approved',
  'escalation_rejected',
  'escalation_expired',
  'taken_over',
  'confirmed',
  'closed',
  'monita_update',
  'sla_warning',
  'sla_breach',
  'reminder',
  'escalation_cancelled',
  'escalation_moved',
  'call_attempt',
  'callback_due',
  'telkom_answer',
  'reopened',
  'sla_paused',
  'sla_resumed',
  'contact_updated',
  /** `buka-data`: someone saw the customer's full data (no state change; counted in the digest). */
  'data_revealed',
  /** The `retention` job erased the customer's values (UU PDP); by posko, with the days kept. */
  'data_erased',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface EventFacts {
  type: string;
  at: Date;
  payload: Record<string, unknown>;
}
