/** Masking of customer data in anything posted where more than the handlers can read it. */

/** +6281234567890 → +62812****7890 */
export function maskPhone(e164: string): string {
  if (e164.length <= 10) return `${e164.slice(0, 3)}****${e164.slice(-2)}`;
  return `${e164.slice(0, 6)}****${e164.slice(-4)}`;
}

/** 122123456789 → ********6789 (only the last four characters show). */
export function maskCustomerId(id: string): string {
  if (id.length <= 4) return '*'.repeat(id.length);
  return `${'*'.repeat(id.length - 4)}${id.slice(-4)}`;
}

// Digit runs long enough to be a phone number or a customer ID, with common separators.
const LONG_NUMBER = /\+?\d[\d\s-]{6,}\d/g;

/** Masks phone numbers and long IDs that a person typed into free text (complaints, notes). */
export function maskFreeText(text: string): string {
  return text.replace(LONG_NUMBER, (match) => {
    const digits = match.replace(/[\s-]/g, '');
    if (digits.replace('+', '').length < 8) return match;
    return digits.startsWith('+') || digits.startsWith('0') || digits.startsWith('62')
      ? maskPhone(digits)
      : maskCustomerId(digits);
  });
}

/** "Siti Rahmawati Putri" → "Siti R. P." — enough for a team to talk about the ticket. */
export function maskName(name: string): string {
  const [first = '', ...rest] = name.trim().split(/\s+/);
  return [first, ...rest.map((w) => `${w.charAt(0).toUpperCase()}.`)].join(' ');
}
