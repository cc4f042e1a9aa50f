/**
 * Masking of customer data in anything posted where more than the handlers can read it.
 * `maskText` is the one function every outgoing free text goes through (cards, thread replies,
 * outbox payloads on Slack, Discord and the console): it knows patterns (phone numbers in any
 * Indonesian format, e-mail addresses, customer-ID shapes, long digit runs) and, when the caller
 * has a ticket in hand, that ticket's own name, customer ID and contact in whatever form typed.
 */
import { findPhoneNumbersInText } from 'libphonenumber-js/max';

/** The ticket's own customer values, as stored (contact in E.164). */
export interface KnownCustomer {
  customerName?: string | null;
  customerId?: string | null;
  contact?: string | null;
}

/** +6281234567890 → +62812****7890; +62215551234 → +6221****1234 (prefix and last four only). */
export function maskPhone(e164: string): string {
  const digits = e164.replace(/\D/g, '');
  const national = digits.startsWith('62') ? digits.slice(2) : digits.replace(/^0/, '');
  if (national.length <= 7) return `+62****${national.slice(-2)}`;
  // Mobile numbers (8xx) show their operator prefix; fixed lines their area code (2 or 3 digits).
  const prefix = national.startsWith('8') ? 3 : national.startsWith('2') ? 2 : 3;
  return `+62${national.slice(0, prefix)}****${national.slice(-4)}`;
}

/** 122123456789 → ********6789 (only the last four characters show). */
export function maskCustomerId(id: string): string {
  if (id.length <= 4) return '*'.repeat(id.length);
  return `${'*'.repeat(id.length - 4)}${id.slice(-4)}`;
}

/** "Siti Rahmawati Putri" → "Siti R. P." — enough for a team to talk about the ticket. */
export function maskName(name: string): string {
  const [first = '', ...rest] = name.normalize('NFKC').trim().split(/\s+/);
  return [first, ...rest.map((w) => `${w.charAt(0).toUpperCase()}.`)].join(' ');
}

export const HIDDEN_EMAIL = '***@***';

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;
// A date (2026-12-03, 03/12/2026) or a ticket number is never customer data.
const NOT_CUSTOMER_DATA = /^(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|GGN-\d+)$/i;
// The shapes of customer IDs across service lines (SOP §11): letters, digits, dashes; see below.
const ID_SHAPE = /(?<![\p{L}\p{N}-])[\p{L}\p{N}][\p{L}\p{N}-]{5,19}(?![\p{L}\p{N}-])/gu;
// Digit groups of three or more joined by one separator (0812 3456 7890, 1221-2345-6789), so
// that times (14.00-16.00) and dates stay apart.
const DIGIT_RUN = /\d{3,}(?:[ .\-/]\d{3,})*/g;
const SEPARATORS = '[\\s.\\-/()]*';

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `value`'s characters with any separators a person might type between them. */
const spaced = (value: string) => [...value].map(escapeRegex).join(SEPARATORS);

// Word edges are checked beside the match rather than by `\p{L}` lookarounds in each new
// expression: V8 builds those Unicode classes anew for every expression (~350 µs a card in B1).
const WORD_CHAR_BEFORE = /[\p{L}\p{N}]$/u;
const WORD_CHAR_AFTER = /^[\p{L}\p{N}]/u;

/**
 * Every match of `pattern` (global) that stands on its own — no letter or digit right before or
 * after it — replaced by `replacement`, taken literally. A match that touches a word is passed
 * over and the search goes on from its next character, as a lookaround would.
 */
function replaceWholeWords(text: string, pattern: RegExp, replacement: string): string {
  let out = '';
  let from = 0;
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    if (
      end === start ||
      WORD_CHAR_BEFORE.test(text.slice(Math.max(0, start - 2), start)) ||
      WORD_CHAR_AFTER.test(text.slice(end, end + 2))
    ) {
      pattern.lastIndex = start + 1;
      continue;
    }
    out += text.slice(from, start) + replacement;
    from = end;
  }
  return out + text.slice(from);
}

const TYPED_SEPARATORS = /[\s.\-/()]+/g;
const isAscii = (s: string) => /^[\x20-\x7e]*$/.test(s);

/**
 * False only when `text` cannot hold `value` typed with separators in any letter case, so the
 * expression that finds it need not be built. After NFKC, ASCII case folds exactly as `iu` does.
 */
function mayHold(flatText: string, value: string): boolean {
  if (!isAscii(value)) return true;
  return flatText.includes(value.replace(TYPED_SEPARATORS, '').toLowerCase());
}

function maskKnown(text: string, known: KnownCustomer): string {
  let out = text;
  const flat = () => out.replace(TYPED_SEPARATORS, '').toLowerCase();
  const contact = known.contact?.replace(/[^\d+]/g, '');
  if (contact && contact.replace(/\D/g, '').length >= 6) {
    const national = contact.replace(/^\+?62/, '').replace(/^0/, '');
    if (mayHold(flat(), national)) {
      const pattern = new RegExp(`(?:\\+?${SEPARATORS}62|0)?${SEPARATORS}${spaced(national)}(?!\\d)`, 'g');
      out = out.replace(pattern, () => maskPhone(`+62${national}`));
    }
  }
  const id = known.customerId?.normalize('NFKC').trim();
  if (id && id.length >= 4 && mayHold(flat(), id))
    out = replaceWholeWords(out, new RegExp(spaced(id), 'giu'), maskCustomerId(id.toUpperCase()));
  const name = known.customerName?.normalize('NFKC').trim();
  if (name) {
    const words = name.split(/\s+/);
    const lower = out.toLowerCase();
    const present = (word: string) => !isAscii(word) || lower.includes(word.toLowerCase());
    if (words.every(present))
      out = replaceWholeWords(out, new RegExp(words.map(escapeRegex).join('\\s+'), 'giu'), maskName(name));
    // A surname typed on its own gives the person away as much as the full name does.
    for (const word of words.slice(1))
      if (word.length >= 3 && present(word))
        out = replaceWholeWords(out, new RegExp(escapeRegex(word), 'giu'), `${word.charAt(0).toUpperCase()}.`);
  }
  return out;
}

function maskPhones(text: string): string {
  const found = findPhoneNumbersInText(text, 'ID');
  let out = text;
  // From the end, so the earlier offsets stay right.
  for (const m of found.reverse())
    out = `${out.slice(0, m.startsAt)}${maskPhone(m.number.number)}${out.slice(m.endsAt)}`;
  return out;
}

const digitCount = (s: string) => s.replace(/\D/g, '').length;

// A customer code has at most one dash (GLB-20331, IMES-88120); ODP-JKT-12345 names equipment.
const isCustomerIdShape = (token: string) =>
  digitCount(token) >= 5 && (token.match(/-/g)?.length ?? 0) <= 1 && !NOT_CUSTOMER_DATA.test(token);

function maskIdShapes(text: string): string {
  return text.replace(ID_SHAPE, (token) => (isCustomerIdShape(token) ? maskCustomerId(token) : token));
}

function maskDigitRuns(text: string): string {
  return text.replace(DIGIT_RUN, (run) => (digitCount(run) >= 8 ? maskCustomerId(run.replace(/\D/g, '')) : run));
}

/**
 * Free text made safe for a channel: NFKC first (full-width digits become digits), then the
 * ticket's own values, e-mail addresses, phone numbers (libphonenumber, default country ID),
 * customer-ID shapes and any long digit run, each down to at most a prefix and the last four.
 * Dates (2026-12-03), times (14.00) and ticket numbers (GGN-000042) stay as they are.
 */
export function maskText(text: string, known: KnownCustomer = {}): string {
  let out = text.normalize('NFKC');
  out = out.replace(EMAIL, HIDDEN_EMAIL);
  out = maskKnown(out, known);
  out = maskPhones(out);
  out = maskIdShapes(out);
  return maskDigitRuns(out);
}

/** Pattern masking only (no ticket in hand). */
export const maskFreeText = (text: string) => maskText(text);
