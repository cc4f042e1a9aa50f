/**
 * Issue 12 defect 1, on the logger itself: whatever an error carries — drizzle's "Failed query:
 * … params: …" in its message and stack, `params`, postgres-js's `parameters`/`query`/`detail`,
 * a `cause` chain — the line the real posko logger writes holds no customer value.
 */
import { Writable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { serializeError } from '../../src/log-safety.js';

function capturingLogger() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { log: createLogger('trace', 'posko', sink), lines };
}

const customer = fc
  .record({
    first: fc.constantFrom('Kartika', 'Bambang', 'Sri', 'Dewi'),
    last: fc.constantFrom('Wulandari', 'Sutrisno', 'Wahyuni', 'Lestari'),
    id: fc.integer({ min: 100_000_000_000, max: 999_999_999_999 }),
    subscriber: fc.integer({ min: 10_000_000, max: 99_999_999 }),
    complaint: fc.constantFrom('modem berkedip merah sejak banjir', 'wifi hilang tiap malam di lantai dua'),
  })
  .map(({ first, last, id, subscriber, complaint }) => ({
    name: `${first} ${last}`,
    id: String(id),
    national: `812${subscriber}`,
    email: `${last.toLowerCase()}${subscriber}@mail.co.id`,
    complaint,
  }));
type Customer = typeof customer extends fc.Arbitrary<infer C> ? C : never;

const phoneAs = fc.constantFrom(
  (n: string) => `0${n}`,
  (n: string) => `+62${n}`,
  (n: string) => `0${n.slice(0, 3)}-${n.slice(3, 7)}-${n.slice(7)}`,
  (n: string) => `(0${n.slice(0, 3)}) ${n.slice(3, 7)} ${n.slice(7)}`,
);

/** An error as drizzle over postgres-js builds it, the customer in every field that can hold them. */
function queryError(c: Customer, phone: string, depth: number): Error {
  const values = [c.name, c.id, phone, c.complaint, c.email];
  const server = Object.assign(new Error('canceling statement due to lock timeout'), {
    name: 'PostgresError',
    code: '55P03',
    severity: 'ERROR',
    query: `insert into tickets values ('${c.name}', '${c.id}')`,
    parameters: values,
    detail: `Key (customer_id)=(${c.id}) already exists; name ${c.name}`,
    where: `while inserting ${c.complaint}`,
  });
  let err: Error = Object.assign(
    new Error(`Failed query: insert into "tickets" values ($1, $2, $3, $4, $5)\nparams: ${values.join(',')}`, {
      cause: server,
    }),
    { query: 'insert into "tickets" …', params: values },
  );
  for (let i = 0; i < depth; i++) err = new Error(`retry ${i} failed: ${err.message}`, { cause: err });
  return err;
}

function leaksOf(output: string, c: Customer): string[] {
  const lower = output.toLowerCase();
  const digits = [c.id, c.national, `0${c.national}`, `62${c.national}`];
  return [c.name, c.complaint, c.email, ...digits].filter((v) => lower.includes(v.toLowerCase()));
}

describe('issue 12 defect 1: the logger never writes a customer value', () => {
  it('defect 1 (property): a query error with the customer in message, stack, params, parameters, detail and cause is logged without any of it', () => {
    fc.assert(
      fc.property(customer, phoneAs, fc.integer({ min: 0, max: 3 }), (c, phoneForm, depth) => {
        const phone = phoneForm(c.national);
        const { log, lines } = capturingLogger();
        const err = queryError(c, phone, depth);
        // As a command's failure logs it (the typed values at hand), and bare, with no help.
        log.error(
          { err, command: 'buka', customer: { customerName: c.name, complaint: c.complaint } },
          'command failed',
        );
        log.error(err);
        log.warn({ err: err.message, job: 'x' }, 'database unavailable');
        const output = lines.join('');
        expect(lines).toHaveLength(3);
        expect(output).toContain('lock timeout'); // what happened is still there
        expect(leaksOf(output, c)).toEqual([]);
        // The serializer alone, with no customer given: parameters and the params tail are gone.
        const bare = JSON.stringify(serializeError(err));
        expect(bare).not.toContain(c.complaint);
        expect(bare).not.toContain(c.id);
      }),
      { numRuns: 60 },
    );
  });

  it('defect 1: phone numbers, IDs and e-mail addresses in any log string are masked by pattern, and customer fields by name at any depth', () => {
    const { log, lines } = capturingLogger();
    log.info(
      {
        note: 'hubungi 0812.3456.7890 atau sri@mail.id, id 122123456789',
        nested: { deeper: { kontak: '081234567890', customerName: 'Sri Wahyuni' } },
        interaction: '123456789012345678',
      },
      'ditelepon ke +62 812-3456-7890',
    );
    const line = JSON.parse(lines[0]!);
    expect(line.note).toBe('hubungi +62812****7890 atau ***@***, id ********6789');
    expect(line.nested.deeper).toEqual({ kontak: '[masked]', customerName: '[masked]' });
    expect(line.msg).toBe('ditelepon ke +62812****7890');
    expect(line.interaction).toBe('123456789012345678'); // a platform's own id stays whole
  });

  it("a posko process's instance id (scheduler, outbox) stays whole for the operator reading the log", () => {
    const { log, lines } = capturingLogger();
    log.info({ instance: 'vm:2661:w3nkd0:3f29c9e5' }, 'scheduler started');
    expect(JSON.parse(lines[0]!).instance).toBe('vm:2661:w3nkd0:3f29c9e5');
  });
});
