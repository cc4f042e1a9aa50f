/**
 * What makes a log line safe: no customer value ever reaches one (UU PDP 27/2022). Every object
 * and message a posko logger writes passes through `safeLogObject` / `redactLogText`:
 *
 * - errors become `{ type, message, stack, code, … , cause }` and nothing else: drizzle's
 *   `params`, postgres-js's `parameters`/`query`, the server's `detail` (which quotes key values)
 *   and every other field are dropped, and the "params: …" tail drizzle writes into `message`
 *   and `stack` is cut;
 * - keys that name customer data (contact, customerId, nama, keluhan, …) are masked at any depth;
 * - every other string is masked by pattern (phone numbers in any Indonesian format, e-mail,
 *   customer-ID shapes, long digit runs: `maskText`) and by the values of the ticket in hand,
 *   which a call site passes as `{ customer: { customerName, customerId, contact, complaint } }`.
 */
import { type KnownCustomer, maskText } from './domain/mask.js';

/** The ticket's (or the typed command's) customer values, as a call site has them. */
export interface LogCustomer extends KnownCustomer {
  complaint?: string | null;
}

/** The key under which a call site hands its customer values to the logger (never written). */
export const CUSTOMER_KEY = 'customer';

export const MASKED = '[masked]';

// Fields of a customer (English in the schema, Indonesian as typed) and of a query's values.
const CUSTOMER_KEYS = new Set([
  'contact',
  'customerid',
  'customername',
  'complaint',
  'kontak',
  'nama',
  'keluhan',
  'id_pelanggan',
  'phone',
  'email',
]);
const DROPPED_KEYS = new Set(['params', 'parameters', 'values', 'args', 'detail', 'hint', 'where', 'internal_query']);
// Identifiers posko or a platform makes (snowflakes, Slack timestamps, slots): long digit runs
// that are not customer data, and that someone reading the log needs whole.
const SYSTEM_ID_KEYS = new Set([
  'interaction',
  // host:pid:random:id of a posko process (job runs, outbox claims)
  'instance',
  'deliveryId',
  'slot',
  'ts',
  'messageTs',
  'threadTs',
  'shard',
  'guild',
  'guildId',
  'channel',
  'channelId',
  'thread',
  'user',
  'userId',
  'userKey',
  'messageId',
  'platformMessageId',
]);
// The fields of an error worth keeping; every other one may hold values.
const ERROR_FIELDS = [
  'code',
  'errno',
  'severity',
  'routine',
  'syscall',
  'constraint_name',
  'table_name',
  'column_name',
  'schema_name',
] as const;
const MAX_DEPTH = 6;

// drizzle: "Failed query: <sql>\nparams: <v1>,<v2>,…", in `message` and at the head of `stack`.
const QUERY_PARAMS = /\bparams: [\s\S]*?(?=\n\s+at |$)/g;

/** A string with query parameters cut and customer data masked. */
export function redactLogText(text: string, customer: LogCustomer = {}): string {
  // Most lines carry no digit, no e-mail and no ticket in hand: nothing to look for.
  if (!/[\d@０-９＠]/.test(text) && !customer.customerName && !customer.complaint) return text;
  let out = text.replace(QUERY_PARAMS, `params: ${MASKED}`);
  const complaint = customer.complaint?.trim();
  if (complaint && complaint.length >= 3) out = out.split(complaint).join(MASKED);
  return maskText(out, customer);
}

export interface SerializedError {
  type: string;
  message: string;
  stack?: string;
  cause?: SerializedError;
  errors?: SerializedError[];
  [field: string]: unknown;
}

/** An error as a log line may show it: see the module comment. */
export function serializeError(err: unknown, customer: LogCustomer = {}, depth = 0): SerializedError {
  if (typeof err !== 'object' || err === null)
    return { type: typeof err, message: redactLogText(String(err), customer) };
  const e = err as Record<string, unknown>;
  const type = typeof e.type === 'string' && !(err instanceof Error) ? e.type : (err.constructor?.name ?? 'Error');
  const out: SerializedError = { type, message: redactLogText(String(e.message ?? ''), customer) };
  if (typeof e.stack === 'string') out.stack = redactLogText(e.stack, customer);
  for (const field of ERROR_FIELDS) {
    const value = e[field];
    if (typeof value === 'number') out[field] = value;
    else if (typeof value === 'string') out[field] = redactLogText(value, customer);
  }
  if (depth < MAX_DEPTH) {
    if (e.cause !== undefined) out.cause = serializeError(e.cause, customer, depth + 1);
    if (Array.isArray(e.errors)) out.errors = e.errors.slice(0, 5).map((x) => serializeError(x, customer, depth + 1));
  }
  return out;
}

function safeValue(value: unknown, key: string, customer: LogCustomer, depth: number): unknown {
  if (CUSTOMER_KEYS.has(key.toLowerCase())) return value === undefined ? undefined : MASKED;
  if (DROPPED_KEYS.has(key)) return undefined;
  if (typeof value === 'string') return SYSTEM_ID_KEYS.has(key) ? value : redactLogText(value, customer);
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof Error || key === 'err' || key === 'error') return serializeError(value, customer);
  if (depth >= MAX_DEPTH) return '[deep]';
  if (Array.isArray(value)) return value.map((v) => safeValue(v, '', customer, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const safe = safeValue(v, k, customer, depth + 1);
    if (safe !== undefined) out[k] = safe;
  }
  return out;
}

/** pino's `formatters.log`: the merge object of a log call, made safe. */
export function safeLogObject(obj: Record<string, unknown>): Record<string, unknown> {
  const { [CUSTOMER_KEY]: given, ...rest } = obj;
  const customer = (typeof given === 'object' && given !== null ? given : {}) as LogCustomer;
  return safeValue(rest, '', customer, 0) as Record<string, unknown>;
}
