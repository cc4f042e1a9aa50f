import type { ChecklistLine } from '../reply.js';
import { progressUpdate } from './contact.js';
import type { EventFacts } from './events.js';

export type ChecklistItem = Omit<ChecklistLine, 'label'> & { key: string };

/**
 * The ticket's SOP checklist, derived only from its events (oldest first), so it can never
 * disagree with the audit trail.
 */
export function deriveChecklist(events: readonly EventFacts[]): ChecklistItem[] {
  const has = (type: string) => events.some((e) => e.type === type);
  const last = (...types: string[]) => [...events].reverse().find((e) => types.includes(e.type));
  const opened = has('opened');
  const escalation = last(
    'escalation_requested',
    'escalation_moved',
    'escalation_approved',
    'escalation_rejected',
    'escalation_expired',
    'escalation_cancelled',
  );
  const confirmation = last('confirmed');
  // A reopen starts the closing steps over; the history above it stays.
  const closed = last('closed', 'reopened');
  const closedNow = closed?.type === 'closed' ? closed : undefined;
  // Closing without the customer (not reached, a duplicate) needs no confirmation or offer.
  const withoutCustomer = closedNow?.payload.path === 'no_contact' || closedNow?.payload.path === 'duplicate';
  const informed = events.some(progressUpdate);
  const waiting = escalation?.type === 'escalation_requested' || escalation?.type === 'escalation_moved';

  return [
    { clause: 'P5.2', key: 'check.verified', state: opened ? 'done' : 'missing' },
    { clause: 'P5.3', key: 'check.repeatChecked', state: opened ? 'done' : 'missing' },
    { clause: 'P5.4', key: 'check.recorded', state: opened ? 'done' : 'missing' },
    { clause: 'P5.5', key: 'check.related', state: opened ? 'done' : 'missing' },
    { clause: 'P5.8', key: 'check.coordinated', state: has('note') ? 'done' : 'pending' },
    {
      clause: 'P5.9',
      key: 'check.informed',
      state: informed ? 'done' : withoutCustomer ? 'na' : closedNow ? 'missing' : 'pending',
    },
    { clause: 'P5.10', key: 'check.escalation', state: !escalation ? 'na' : waiting ? 'pending' : 'done' },
    {
      clause: 'P5.11',
      key: 'check.confirmed',
      state:
        confirmation?.payload.result === 'ok' ? 'done' : withoutCustomer ? 'na' : closedNow ? 'missing' : 'pending',
    },
    {
      clause: 'P5.7',
      key: 'check.offer',
      state: closedNow?.payload.offer === true ? 'done' : withoutCustomer ? 'na' : closedNow ? 'missing' : 'pending',
    },
    { clause: 'P5.12', key: 'check.closed', state: closedNow ? 'done' : 'pending' },
  ];
}
