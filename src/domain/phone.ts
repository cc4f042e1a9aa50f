import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/** An Indonesian number as typed (08…, 62…, +62…, with spaces or dashes) → E.164, or null. */
export function normaliseIndonesianPhone(raw: string): string | null {
  let value = raw.trim().replace(/[\s\-().]/g, '');
  if (/^62\d/.test(value)) value = `+${value}`;
  if (!/^(\+62|0)\d{6,14}$/.test(value)) return null;
  const phone = parsePhoneNumberFromString(value, 'ID');
  if (phone?.country !== 'ID' || !phone.isValid()) return null;
  return phone.number;
}
