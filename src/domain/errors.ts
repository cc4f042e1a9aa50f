import type { MessageKey } from '../i18n/index.js';
import type { ErrorCode } from '../reply.js';

/** A refusal with its ⚓ error code and a catalogue message; nothing has changed when it is thrown. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly key: MessageKey,
    readonly params: Record<string, string | number> = {},
  ) {
    super(`${code}: ${key}`);
  }
}

export const invalid = (key: MessageKey, params: Record<string, string | number> = {}) =>
  new DomainError('invalid_input', key, params);
