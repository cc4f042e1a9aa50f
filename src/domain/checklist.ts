import type { ChecklistLine } from '../reply.js';
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
  const escalation = last('escalation_requested', 'escalation_approved', 'escalation_rejected', 'escalation_expired');
  const confirmation = last('confirmed');
  const closed = last('closed');

  return [
    { clause: 'P5.2', key: 'check.verified', state: opened ? 'done' : 'missing' },
    { clause: 'P5.3', key: 'check.repeatChecked', state: opened ? 'done' : 'missing' },
    { clause: 'P5.4', key: 'check.recorded', state: opened ? 'done' : 'missing' },
    { clause: 'P5.5', key: 'check.related', state: opened ? 'done' : 'missing' },
    { clause: 'P5.8', key: 'check.coordinated', state: has('note') ? 'done' : 'pending' },
    { clause: 'P5.9', key: 'check.informed', state: has('informed') ? 'done' : closed ? 'missing' : 'pending' },
    {
      clause: 'P5.10',
      key: 'check.escalation',
      state: !escalation ? 'na' : escalation.type === 'escalation_requested' ? 'pending' : 'done',
    },
    {
      clause: 'P5.11',
      key: 'check.confirmed',
      state: confirmation?.payload.result === 'ok' ? 'done' : closed ? 'missing' : 'pending',
    },
    {
      clause: 'P5.7',
      key: 'check.offer',
      state: closed?.payload.offer === true ? 'done' : closed ? 'missing' : 'pending',
    },
    { clause: 'P5.12', key: 'check.closed', state: closed ? 'done' : 'pending' },
  ];
}
