import { KEY_ALIASES } from '../../commands/aliases.js';
import { allInvalid, DomainError, invalid } from '../domain/errors.js';
import { parseUserRef, type Token } from './parser.js';
import type { BoundInput, CommandSpec, OptionSpec } from './spec.js';

/** Structured input, as a command line yields it or as Discord options, forms and buttons give it. */
export interface RawInput {
  name: string;
  positionals: string[];
  options: Record<string, string>;
  text?: string;
  /**
   * The typed line's tokens in order, when the input is a line: binding then knows repeated keys,
   * keeps unknown `key=value` words of a free-text command as text, and sees what preceded stray text.
   */
  tokens?: Token[];
}

const YES = new Set(['ya', 'y', 'yes', 'true', 'iya']);
const NO = new Set(['tidak', 'no', 'false', 'n', 'tdk']);

/** A key as the command knows it: its own name, or an English alias of one of its options. */
function optionFor(spec: CommandSpec, keyRaw: string): OptionSpec | undefined {
  const key = keyRaw.toLowerCase();
  return spec.options.find((o) => o.name === key) ?? spec.options.find((o) => o.name === KEY_ALIASES[key]);
}

/** A free-text command (`catat`, `kabari`, …) reads `kunci=nilai` it does not know as words of its text. */
const takesFreeText = (spec: CommandSpec) => spec.positionals.text === 'required';

interface Sorted {
  options: [OptionSpec | string, string][];
  positionals: string[];
  errors: DomainError[];
  /** The unquoted `key=value` option right before each stray word, for the quoting hint. */
  before: Map<number, string>;
}

/** Splits a typed line's tokens: options (once each), and words — unknown keys too for free text. */
function sortTokens(spec: CommandSpec, tokens: readonly Token[]): Sorted {
  const out: Sorted = { options: [], positionals: [], errors: [], before: new Map() };
  const seen = new Set<string>();
  let lastUnquoted: string | undefined;
  for (const token of tokens) {
    if (token.key === undefined) {
      if (lastUnquoted) out.before.set(out.positionals.length, lastUnquoted);
      out.positionals.push(token.value);
      lastUnquoted = undefined;
      continue;
    }
    const option = optionFor(spec, token.key);
    if (!option && takesFreeText(spec)) {
      out.positionals.push(token.quoted ? `${token.key}="${token.value}"` : `${token.key}=${token.value}`);
      lastUnquoted = undefined;
      continue;
    }
    const name = option?.name ?? token.key;
    if (seen.has(name)) out.errors.push(invalid('err.repeatedOption', { option: name }));
    seen.add(name);
    out.options.push([option ?? token.key, token.value]);
    lastUnquoted = token.quoted ? undefined : name;
  }
  return out;
}

function bindOption(spec: CommandSpec, option: OptionSpec | string, value: string, into: Record<string, string>) {
  if (typeof option === 'string')
    // With optional free text, `=` in that text may be the cause: only then the quoting hint.
    throw invalid(spec.positionals.text ? 'err.unknownOptionOrText' : 'err.unknownOption', {
      option,
      command: spec.name,
      allowed: spec.options.map((o) => o.name).join(', ') || '-',
    });
  const key = option.name;
  const v = value.trim();
  if (option.kind === 'choice') {
    const choice = option.aliases?.[v.toLowerCase()] ?? v.toLowerCase();
    if (!option.choices?.includes(choice))
      throw invalid('err.badChoice', { option: key, allowed: option.choices?.join(', ') ?? '' });
    into[key] = choice;
  } else if (option.kind === 'yes') {
    if (YES.has(v.toLowerCase())) into[key] = 'ya';
    else if (!NO.has(v.toLowerCase())) throw invalid('err.badChoice', { option: key, allowed: 'ya, tidak' });
  } else {
    into[key] = v;
  }
}

/**
 * Checks raw input against a command's spec. Every error names the option it is about, and all
 * of them are answered at once (a repeated key, a bad choice, each missing required option).
 */
export function bind(spec: CommandSpec, raw: RawInput, platform: string): BoundInput {
  const sorted: Sorted = raw.tokens
    ? sortTokens(spec, raw.tokens)
    : {
        options: Object.entries(raw.options).map(([k, v]) => [optionFor(spec, k) ?? k.toLowerCase(), v]),
        positionals: raw.positionals,
        errors: [],
        before: new Map(),
      };
  const errors = [...sorted.errors];
  const options: Record<string, string> = {};
  for (const [option, value] of sorted.options) {
    try {
      bindOption(spec, option, value, options);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      errors.push(err);
    }
  }
  // An option given but refused (`hasil=meledak`) is answered once, as invalid, not also as missing.
  const given = new Set(errors.map((e) => e.params.option));
  if (!spec.intakeForm)
    for (const option of spec.options)
      if (option.required && !options[option.name] && !given.has(option.name))
        errors.push(invalid('err.required', { option: option.name }));
  const { positionals } = spec;
  const takesNoWords = !positionals.ticket && !positionals.user && !positionals.role && !positionals.text;
  const stray = sorted.positionals.map((p) => p.trim()).filter(Boolean);
  // Stray words where none are taken (an unquoted `nama=Siti Rahma`) are answered with the rest.
  if (takesNoWords && stray.length > 0) errors.push(strayText(spec, stray.join(' '), sorted.before.get(0)));
  const named = new Set(errors.map((e) => e.params.option));
  for (const e of spec.validate?.(options, platform) ?? []) if (!named.has(e.params.option)) errors.push(e);
  const refusal = allInvalid(errors);
  if (refusal) throw refusal;
  return bindPositionals(spec, sorted, raw.text, platform, options);
}

function bindPositionals(
  spec: CommandSpec,
  sorted: Sorted,
  freeText: string | undefined,
  platform: string,
  options: Record<string, string>,
): BoundInput {
  const rest = sorted.positionals.map((p) => p.trim()).filter(Boolean);
  const input: BoundInput = { options };
  const { positionals } = spec;
  if (positionals.ticket) {
    input.ticket = rest.shift();
    if (!input.ticket) throw invalid('err.required', { option: 'tiket' });
  }
  if (positionals.user) {
    const ref = rest.shift();
    if (!ref) throw invalid('err.required', { option: 'pengguna' });
    const id = parseUserRef(ref);
    if (!id) throw invalid('err.badUser', { option: 'pengguna', value: ref.slice(0, 40) });
    input.user = `${platform}:${id}`;
  }
  if (positionals.role) {
    const role = rest.shift()?.toLowerCase();
    if (!role) throw invalid('err.required', { option: 'peran' });
    if (!positionals.role.choices.includes(role))
      throw invalid('err.badChoice', { option: 'peran', allowed: positionals.role.choices.join(', ') });
    input.role = role;
  }
  const consumed = sorted.positionals.length - rest.length;
  const text = [...rest, freeText?.trim() ?? ''].filter(Boolean).join(' ');
  if (positionals.text) {
    if (positionals.text === 'required' && !text) throw invalid('err.required', { option: 'teks' });
    if (text) input.text = text;
  } else if (text) {
    throw strayText(spec, text, sorted.before.get(consumed));
  }
  return input;
}

/** Stray words: a hint only for what caused them — an unquoted value with a space, or an `=`. */
function strayText(spec: CommandSpec, text: string, after: string | undefined): DomainError {
  const value = text.slice(0, 40);
  if (after) return new DomainError('invalid_input', 'err.unquotedValue', { option: after, value, command: spec.name });
  const key = text.includes('=') ? 'err.unexpectedTextEquals' : 'err.unexpectedText';
  return new DomainError('invalid_input', key, { value, command: spec.name });
}
