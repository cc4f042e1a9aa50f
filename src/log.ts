import pino, { type Logger } from 'pino';

export type { Logger };

/** Logs go to stderr so stdout stays clean for the console's --json output. */
export function createLogger(level: string, name = 'posko'): Logger {
  return pino(
    { name, level, redact: { paths: ['contact', 'customerId', '*.contact', '*.customerId'], censor: '[masked]' } },
    pino.destination(2),
  );
}
