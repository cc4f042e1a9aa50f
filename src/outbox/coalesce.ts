import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { Core } from '../app.js';
import { outbox } from '../db/schema.js';
import type { Row } from './send.js';
import type { OutboxMessage } from './types.js';

/**
 * Coalescing: an edit is the message's whole new state, so when several edits of one message
 * (a card, a request) are queued, only the latest needs to go out. The edit at its lane's head is
 * sent carrying the newest queued edit of the same target; the rows it stands for are recorded
 * sent with it (retry.ts recordSent). It keeps the head's place: the card shows its latest state
 * as early as the lane allows. Edits queued after the send started go out after it: the card
 * always ends in its latest state. Only rows behind the head are taken, and no worker claims a
 * row that is not its lane's head, so nobody else is sending them.
 */
export async function coalesceEdits(core: Core, row: Row): Promise<{ send: Row; superseded: number[] }> {
  const message = row.payload as unknown as OutboxMessage;
  if (message.kind !== 'edit') return { send: row, superseded: [] };
  const later = await core.db
    .select({ id: outbox.id, payload: outbox.payload })
    .from(outbox)
    .where(
      and(
        eq(outbox.platform, row.platform),
        eq(outbox.channel, row.channel),
        eq(outbox.status, 'pending'),
        gt(outbox.id, row.id),
        sql`${outbox.payload}->>'kind' = 'edit'`,
        sql`${outbox.payload}->'target' = ${JSON.stringify(message.target)}::jsonb`,
      ),
    )
    .orderBy(asc(outbox.id));
  const latest = later.at(-1);
  if (!latest) return { send: row, superseded: [] };
  return { send: { ...row, payload: latest.payload }, superseded: later.map((r) => r.id) };
}
