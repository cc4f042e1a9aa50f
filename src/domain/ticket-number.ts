/** ⚓ GGN- and at least six digits; agents may type ggn-42 or 42 and get GGN-000042. */
export function normaliseTicketNumber(raw: string): string | null {
  const m = /^(?:GGN-?)?0*(\d{1,12})$/i.exec(raw.trim());
  if (!m?.[1] || Number(m[1]) === 0) return null;
  return `GGN-${m[1].padStart(6, '0')}`;
}

export const looksLikeTicketNumber = (raw: string): boolean => /^GGN-?\d+$/i.test(raw.trim());
