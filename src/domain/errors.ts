import type { MessageKey } from '../i18n/index.js';
import type { ErrorCode } from '../reply.js';

/** A refusal with its ⚓ error code and a catalogue message; nothing has changed when it is thrown. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly key: MessageKey,
    readonly params: Record<string, string | number> = {},
    /** Several refusals answered at once (an incomplete `buka`): each names its own option. */
    readonly details: readonly DomainError[] = [],
  ) {
    super(`${code}: ${key}`);
  }
}

/** One refusal for all the given ones: itself when alone, else `err.several` listing each. */
export function allInvalid(errors: readonly DomainError[]): DomainError | null {
  const [first] = errors;
  if (!first) return null;
  if (errors.length === 1) return first;
  return new DomainError('invalid_input', 'err.several', { ...first.params, count: errors.length }, errors);
}

export const invalid = (key: MessageKey, params: Record<string, string | number> = {}) =>
  new DomainError('invalid_input', key, params);
