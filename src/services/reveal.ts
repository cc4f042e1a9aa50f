import type { Core } from '../app.js';
import { DomainError } from '../domain/errors.js';
import type { Actor } from '../domain/roles.js';
import { canHandle } from '../domain/ticket.js';
import type { Reply } from '../reply.js';
import { appendEvent } from './audit.js';
import { ephemeral } from './present.js';
import { loadTicket } from './ticket-store.js';
import { transaction } from './tx.js';

/**
 * `buka-data`: the customer's full data, to the asker alone (ephemeral), for the assignee, a team
 * leader of the ticket's team or a supervisor. Each reveal is audited (`data_revealed`, the asker
 * as actor) in the same transaction that read the data, so no one sees it unrecorded; the digest
 * counts reveals per person. It changes no state, so it does not pass the state machine.
 */
export async function revealCustomerData(core: Core, actor: Actor, number: string): Promise<Reply> {
  if (!actor.role) throw new DomainError('forbidden', 'err.notOnRoster');
  return transaction(core, async (tx) => {
    const ticket = await loadTicket(tx, number);
    if (!canHandle(actor, ticket)) throw new DomainError('forbidden', 'err.revealForbidden', { ticket: ticket.number });
    await appendEvent(tx, ticket.id, 'data_revealed', actor.userKey, core.clock(), {});
    return ephemeral(ticket.number, core.t('reply.revealed', { ticket: ticket.number }), {
      fields: [
        { label: core.t('field.customer'), value: ticket.customerName },
        { label: core.t('field.customerId'), value: ticket.customerId },
        { label: core.t('field.contact'), value: ticket.contact },
        { label: core.t('field.complaint'), value: ticket.complaint },
      ],
    });
  });
}
