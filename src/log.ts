import pino, { type DestinationStream, type Logger } from 'pino';
import { redactLogText, safeLogObject } from './log-safety.js';

export type { Logger };

/**
 * Logs go to stderr so stdout stays clean for the console's --json output. Every line passes
 * log-safety: errors without query parameters, customer data masked (children inherit it).
 */
export function createLogger(
  level: string,
  name = 'posko',
  destination: DestinationStream = pino.destination(2),
): Logger {
  return pino(
    {
      name,
      level,
      formatters: { log: safeLogObject },
      serializers: {
        // The message too: `log.error(err)` makes the error's message the line's message.
        msg: (msg: unknown) => (typeof msg === 'string' ? redactLogText(msg) : msg),
        // safeLogObject has already made errors safe; pino's own serializer would list every field.
        err: (err: unknown) => err,
      },
    },
    destination,
  );
}
