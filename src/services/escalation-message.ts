import type { Core } from '../app.js';
import type { Tx } from '../db/index.js';
import type { MessageKey } from '../i18n/index.js';
import { enqueue } from '../outbox/enqueue.js';
import type { Reply } from '../reply.js';
import { type Escalation, formatTime, mention, publicText, type Ticket } from './present.js';

/** The request message in the thread: approve/reject buttons while it waits, the decision after. */
export function requestMessage(core: Core, ticket: Ticket, e: Escalation, approvers: string[]): Reply {
  const { t } = core;
  const level = t(`level.${e.level}` as MessageKey);
  const base = t('thread.escalationRequested', {
    who: mention(e.requestedBy),
    level,
    reason: publicText(e.reason, ticket),
  });
  if (e.status === 'pending') {
    return {
      audience: 'thread',
      ticket: ticket.number,
      error: null,
      text: `${ticket.number} · ${base} ${approvers.length ? t('thread.escalationWho', { who: approvers.map(mention).join(' ') }) : t('thread.escalationNobody')}`,
      mentions: approvers,
      buttons: [
        {
          actionId: 'escalation.approve',
          label: t('button.approve'),
          command: `setujui ${ticket.number} permintaan=${e.id}`,
          style: 'primary',
        },
        {
          actionId: 'escalation.reject',
          label: t('button.reject'),
          command: `tolak ${ticket.number} permintaan=${e.id}`,
          style: 'danger',
          form: {
            command: 'tolak',
            title: t('form.rejectTitle', { ticket: ticket.number }),
            fields: [{ name: 'teks', label: t('form.rejectReason'), kind: 'long_text', required: true }],
          },
        },
      ],
    };
  }
  const decided = t(`decision.${e.status}` as MessageKey, {
    who: e.decidedBy ? mention(e.decidedBy) : 'posko',
    at: e.decidedAt ? formatTime(core, e.decidedAt) : '',
    note: e.decisionNote ? publicText(e.decisionNote, ticket) : '',
  });
  return {
    audience: 'thread',
    ticket: ticket.number,
    error: null,
    text: `${ticket.number} · ${base}\n${decided}`,
    mentions: [],
  };
}

/**
 * After a decision, an expiry or a cancellation: the request message loses its buttons and says
 * what happened (an edit in place, not a new message). The caller refreshes the card.
 */
export async function closeRequest(
  core: Core,
  tx: Tx,
  ticket: Ticket,
  e: Escalation,
  eventId: number,
  now: Date,
  requestedBy?: string,
): Promise<void> {
  await enqueue(tx, {
    dedupeKey: `esc-edit:${eventId}`,
    platform: ticket.platform,
    channel: ticket.channel,
    message: { kind: 'edit', reply: requestMessage(core, ticket, e, []), target: { escalation: e.id } },
    at: now,
    requestedBy,
  });
}
