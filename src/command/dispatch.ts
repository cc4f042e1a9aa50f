import { COMMANDS, findCommand } from '../../commands/index.js';
import type { Core } from '../app.js';
import { isDatabaseUnavailable } from '../db/index.js';
import { DomainError } from '../domain/errors.js';
import type { Actor } from '../domain/roles.js';
import type { SourceMessage } from '../domain/source-message.js';
import { type Locale, localeFromTag, type MessageKey, translator } from '../i18n/index.js';
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
  /** The person's language as the platform tells it (Discord `locale`, Slack `users.info`), e.g. `en-US`. */
  locale?: string;
  /** Started from a chat message (message shortcut / context menu): read from the platform's payload only. */
  source?: SourceMessage;
}

/** Whose language a private answer is in: the roster's override, the platform's, else POSKO_LOCALE. */
export function speakerLocale(core: Core, inv: Pick<Invocation, 'locale'>, actor?: Actor): Locale {
  return actor?.locale ?? localeFromTag(inv.locale) ?? core.locale;
}

/** The core as one person reads it: same database and clock, their catalogue. */
export function viewerOf(core: Core, locale: Locale): Core {
  return locale === core.locale ? core : { ...core, t: translator(locale), locale };
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
  const raw: RawInput = { name: parsed.name, positionals: [], options: {}, tokens: parsed.tokens };
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
  // A form's fields are options by name, not typed words: bound from the maps, not the tokens.
  const { tokens: _typed, ...raw } = lineToRaw(commandLine);
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
  let viewer = viewerOf(core, speakerLocale(core, inv));
  if (!spec)
    return failure(
      viewer,
      null,
      new DomainError('invalid_input', 'err.unknownCommand', {
        name,
        commands: COMMANDS.map((c) => c.name).join(', '),
      }),
    );
  const key = inv.deliveryId ? `${inv.platform}:${inv.deliveryId}` : undefined;
  try {
    return await withDelivery(key, async () => {
      const actor = await getActor(core, `${inv.platform}:${inv.userId}`);
      viewer = viewerOf(core, speakerLocale(core, inv, actor));
      if (!spec.roles.includes(actor.role)) {
        const reason: MessageKey = actor.role ? 'err.roleForbidden' : 'err.notOnRoster';
        throw new DomainError('forbidden', reason, { command: spec.name });
      }
      const input = bind(spec, raw, inv.platform);
      if (spec.readOnly) await claimCurrentDelivery(core);
      const ctx = {
        core,
        actor,
        platform: inv.platform,
        channel: inv.channel,
        t: viewer.t,
        locale: viewer.locale,
        viewer,
        commands: COMMANDS,
        ...(inv.source ? { source: inv.source } : {}),
      };
      const replies = await spec.handler(ctx, input);
      return { replies, duplicate: false, command: spec.name, error: replies.find((r) => r.error)?.error ?? null };
    });
  } catch (err) {
    if (err instanceof DuplicateDelivery) return { replies: [], duplicate: true, command: spec.name, error: null };
    if (err instanceof DomainError) return failure(viewer, spec.name, err);
    const reply = unexpectedFailure(viewer, err, { command: spec.name }, typedCustomer(raw));
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

function capped(raw: Record<string, string | number>): Record<string, string | number> {
  const params: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(raw))
    params[name] = typeof value === 'string' && !POSKO_LISTS.has(name) ? capEcho(value) : value;
  return params;
}

/** A refusal in the caller's language; several (an incomplete `buka`) are listed one a line. */
function failure(viewer: Core, command: string | null, err: DomainError): Outcome {
  const { code } = err;
  // Every value the message repeats back is capped: `lihat <100k digits>` echoes 60 of them.
  const params = capped(err.params);
  const ticket = typeof params.ticket === 'string' ? params.ticket : null;
  const lines = err.details.map((d) => `• ${viewer.t(d.key, capped(d.params))}`);
  const text = [viewer.t(err.key, params), ...lines].join('\n');
  const reply: Reply = { audience: 'ephemeral', ticket, error: code, text };
  if (typeof params.option === 'string') reply.option = params.option;
  return { replies: [reply], duplicate: false, command, error: code };
}
