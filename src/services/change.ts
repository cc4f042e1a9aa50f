import type { Core } from '../app.js';
import type { Tx } from '../db/index.js';
import { DomainError } from '../domain/errors.js';
import type { Actor } from '../domain/roles.js';
import type { Ticket } from './present.js';
import { loadTicket } from './ticket-store.js';
import { transaction } from './tx.js';

/** One transaction around one ticket, locked, so concurrent commands on it apply one after another. */
export async function changeTicket<T>(
  core: Core,
  actor: Actor,
  number: string,
  fn: (tx: Tx, ticket: Ticket, now: Date) => Promise<T>,
): Promise<T> {
  if (!actor.role) throw new DomainError('forbidden', 'err.notOnRoster');
  return transaction(core, async (tx) => {
    const ticket = await loadTicket(tx, number, true);
    return fn(tx, ticket, core.clock());
  });
}
