import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Logger } from '../../log.js';
import { redactLogText } from '../../log-safety.js';

const LEVELS: Record<string, LogLevel> = {
  trace: LogLevel.DEBUG,
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
  error: LogLevel.ERROR,
  fatal: LogLevel.ERROR,
  silent: LogLevel.ERROR,
};

// Bolt and its Web API client log whole bodies at debug level ("http request body: {…}",
// "http request result: {…}", "ack() … (body: {…})"): agents' messages with customers' phone
// numbers and IDs in full. The line stays, its JSON goes; digits typed anywhere else are masked.
const JSON_BODY = /[{[][\s\S]*$/;

/** A Bolt log line without the payload it may carry. */
export function scrubBoltLine(line: string): string {
  return redactLogText(line.replace(JSON_BODY, '[body omitted]'));
}

/** Bolt's logger interface over posko's pino logger, so Slack's logs go where ours go (stderr). */
export function boltLogger(log: Logger): BoltLogger {
  const child = log.child({ platform: 'slack' });
  let level = LEVELS[log.level] ?? LogLevel.INFO;
  const text = (msg: unknown[]) =>
    scrubBoltLine(msg.map((m) => (m instanceof Error ? m.message : String(m))).join(' '));
  return {
    debug: (...msg: unknown[]) => child.debug(text(msg)),
    info: (...msg: unknown[]) => child.info(text(msg)),
    warn: (...msg: unknown[]) => child.warn(text(msg)),
    error: (...msg: unknown[]) => child.error(text(msg)),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
