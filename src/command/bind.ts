import { DomainError, invalid } from '../domain/errors.js';
import { parseUserRef } from './parser.js';
import type { BoundInput, CommandSpec } from './spec.js';

/** Structured input, as a command line yields it or as Discord options, forms and buttons give it. */
export interface RawInput {
  name: string;
  positionals: string[];
  options: Record<string, string>;
  text?: string;
}

const YES = new Set(['ya', 'y', 'yes', 'true', 'iya']);
const NO = new Set(['tidak', 'no', 'false', 'n', 'tdk']);

/** Checks raw input against a command's spec; every error names the option it is about. */
export function bind(spec: CommandSpec, raw: RawInput, platform: string): BoundInput {
  const options: Record<string, string> = {};
  for (const [keyRaw, value] of Object.entries(raw.options)) {
    const key = keyRaw.toLowerCase();
    const option = spec.options.find((o) => o.name === key);
    if (!option)
      throw invalid('err.unknownOption', {
        option: key,
        command: spec.name,
        allowed: spec.options.map((o) => o.name).join(', ') || '-',
      });
    const v = value.trim();
    if (option.kind === 'choice') {
      const choice = option.aliases?.[v.toLowerCase()] ?? v.toLowerCase();
      if (!option.choices?.includes(choice))
        throw invalid('err.badChoice', { option: key, allowed: option.choices?.join(', ') ?? '' });
      options[key] = choice;
    } else if (option.kind === 'yes') {
      if (YES.has(v.toLowerCase())) options[key] = 'ya';
      else if (!NO.has(v.toLowerCase())) throw invalid('err.badChoice', { option: key, allowed: 'ya, tidak' });
    } else {
      options[key] = v;
    }
  }
  if (!spec.intakeForm)
    for (const option of spec.options)
      if (option.required && !options[option.name]) throw invalid('err.required', { option: option.name });

  const rest = raw.positionals.map((p) => p.trim()).filter(Boolean);
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
  const text = [...rest, raw.text?.trim() ?? ''].filter(Boolean).join(' ');
  if (positionals.text) {
    if (positionals.text === 'required' && !text) throw invalid('err.required', { option: 'teks' });
    if (text) input.text = text;
  } else if (text) {
    throw new DomainError('invalid_input', 'err.unexpectedText', { value: text.slice(0, 40), command: spec.name });
  }
  return input;
}
