import { COMMANDS, findCommand } from '../../commands/index.js';
import type { Core } from '../app.js';
import { isDatabaseUnavailable } from '../db/index.js';
import { DomainError } from '../domain/errors.js';
import type { MessageKey } from '../i18n/index.js';
import type { LogCustomer } from '../log-safety.js';
import type { ErrorCode, Reply } from '../reply.js';
import { getActor } from '../services/roster.js';
import { claimCurrentDelivery, DuplicateDelivery, withDelivery } from '../services/tx.js';
import { bind, type RawInput } from './bind.js';
import { parseLine } from './parser.js';

export type { RawInput };

export interface Invocation {
  platform: 'slack' | 'discord' | 'console';
  /** The platform's own user id (no prefix). */
  userId: string;
  channel: string;
  /** The platform's delivery id (Slack trigger_id, Discord interaction id): a repeat has no effect. */
  deliveryId?: string;
}

export interface Outcome {
  replies: Reply[];
  /** The delivery id was seen before; nothing was done and nothing should be said. */
  duplicate: boolean;
  /** The subcommand that ran (for metrics), or null when the line named none. */
  command: string | null;
  error: ErrorCode | null;
}

/** A command line as typed after `/tiket`. */
export function runCommandLine(core: Core, inv: Invocation, line: string): Promise<Outcome> {
  return runRaw(core, inv, lineToRaw(line));
}

export function lineToRaw(line: string): RawInput {
  const parsed = parseLine(line);
  const raw: RawInput = { name: parsed.name, positionals: [], options: {} };
  for (const token of parsed.tokens) {
    if (token.key !== undefined) raw.options[token.key] = token.value;
    else raw.positionals.push(token.value);
  }
  return raw;
}

/** A button's command plus the fields of the form it asked for (`teks` is the free text). */
export function runWithForm(
  core: Core,
  inv: Invocation,
  commandLine: string,
  values: Record<string, string>,
): Promise<Outcome> {
  const raw = lineToRaw(commandLine);
  for (const [key, value] of Object.entries(values)) {
    if (!value.trim()) continue;
    if (key === 'teks') raw.text = value;
    else raw.options[key] = value;
  }
  return runRaw(core, inv, raw);
}

export async function runRaw(core: Core, inv: Invocation, raw: RawInput): Promise<Outcome> {
  const name = raw.name.toLowerCase();
  const spec = findCommand(name || 'bantuan');
  if (!spec)
    return failure(core, null, 'invalid_input', 'err.unknownCommand', {
      name,
      commands: COMMANDS.map((c) => c.name).join(', '),
    });
  const key = inv.deliveryId ? `${inv.platform}:${inv.deliveryId}` : undefined;
  try {
    return await withDelivery(key, async () => {
      const actor = await getActor(core, `${inv.platform}:${inv.userId}`);
      if (!spec.roles.includes(actor.role)) {
        const reason: MessageKey = actor.role ? 'err.roleForbidden' : 'err.notOnRoster';
        throw new DomainError('forbidden', reason, { command: spec.name });
      }
      const input = bind(spec, raw, inv.platform);
      if (spec.readOnly) await claimCurrentDelivery(core);
      const replies = await spec.handler({ core, actor, platform: inv.platform, channel: inv.channel }, input);
      return { replies, duplicate: false, command: spec.name, error: replies.find((r) => r.error)?.error ?? null };
    });
  } catch (err) {
    if (err instanceof DuplicateDelivery) return { replies: [], duplicate: true, command: spec.name, error: null };
    if (err instanceof DomainError) return failure(core, spec.name, err.code, err.key, err.params);
    const reply = unexpectedFailure(core, err, { command: spec.name }, typedCustomer(raw));
    return { replies: [reply], duplicate: false, command: spec.name, error: reply.error };
  }
}

/**
 * The answer to an error no rule expected (a command's, or a job run by hand): `unavailable`,
 * saying the database is away when it is, else that something went wrong; logged either way.
 * `context` names what failed: `{ command }` or `{ job }`.
 */
export function unexpectedFailure(
  core: Core,
  err: unknown,
  context: { command: string } | { job: string },
  customer: LogCustomer = {},
): Reply {
  const what = 'command' in context ? 'command' : 'job';
  const down = isDatabaseUnavailable(err);
  // The logger drops the query's parameters; `customer` masks what was typed wherever else it shows.
  if (down) core.log.warn({ ...context, err: (err as Error).message, customer }, 'database unavailable');
  else core.log.error({ ...context, err, customer }, `${what} failed`);
  return {
    audience: 'ephemeral',
    ticket: null,
    error: 'unavailable',
    text: core.t(down ? 'err.unavailable' : 'err.internal'),
  };
}

/** The customer values a command line carries (buka's options, a note's text), for the logger to mask. */
function typedCustomer(raw: RawInput): LogCustomer {
  const option = (key: string) => Object.entries(raw.options).find(([k]) => k.toLowerCase() === key)?.[1];
  return {
    customerName: option('nama'),
    customerId: option('id'),
    contact: option('kontak'),
    complaint: option('keluhan') ?? raw.text,
  };
}

/** The longest piece of what someone typed that an error message repeats back. */
export const ECHO_MAX = 60;
// Lists posko itself makes (the commands, the allowed values), not echoes of the user's input.
const POSKO_LISTS = new Set(['allowed', 'commands']);

export const capEcho = (value: string) => (value.length <= ECHO_MAX ? value : `${value.slice(0, ECHO_MAX)}…`);

function failure(
  core: Core,
  command: string | null,
  code: ErrorCode,
  key: MessageKey,
  raw: Record<string, string | number>,
): Outcome {
  // Every value the message repeats back is capped: `lihat <100k digits>` echoes 60 of them.
  const params: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(raw))
    params[name] = typeof value === 'string' && !POSKO_LISTS.has(name) ? capEcho(value) : value;
  const ticket = typeof params.ticket === 'string' ? params.ticket : null;
  const text = core.t(key, params);
  const reply: Reply = { audience: 'ephemeral', ticket, error: code, text };
  if (typeof params.option === 'string') reply.option = params.option;
  return { replies: [reply], duplicate: false, command, error: code };
}
