import { Writable } from 'node:stream';
import pino from 'pino';

/** A pino logger whose lines (parsed) the test can read. */
export function captureLog() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n')) if (l.trim()) lines.push(JSON.parse(l));
      done();
    },
  });
  return { lines, logger: pino({ level: 'debug' }, sink) };
}
