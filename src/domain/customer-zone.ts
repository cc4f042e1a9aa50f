import { invalid } from './errors.js';

/**
 * The customer's time zone: WIB (UTC+7), WITA (UTC+8) or WIT (UTC+9), so reminders and callback
 * times are reckoned in the customer's local clock, not the contact center's.
 *
 * API:
 * - `zoneOf(contactE164, explicit, fallback)` → `{ name, tz, source }`: the zone set with `zona=`
 *   when given (WIB/WITA/WIT, any case; anything else is `invalid_input` naming `zona`), else the zone of the contact
 *   number's fixed-line area code, else `fallback` (mobile numbers carry no area).
 * - `parseZone(word)` → the zone for `WIB`/`WITA`/`WIT` (any case) or an IANA name of an Indonesian
 *   zone (`Asia/Jakarta`, `Asia/Pontianak`, `Asia/Makassar`, `Asia/Jayapura`), else null. Use it to
 *   derive the fallback from POSKO_TIMEZONE.
 * - `areaZone(contactE164)` → the zone of a fixed-line number's area code, or null (mobile,
 *   unknown area, or an area that spans two zones).
 *
 * Area codes follow the national plan (Kepmenhub KM 28/2004; city names as in libphonenumber's
 * geocoding data): 02x Java west and centre, 031–035 East Java: WIB; 036x Bali and Lombok, 037x
 * NTB, 038x NTT, 04xx Sulawesi: WITA; 05xx Kalimantan is split by province — Kalimantan Barat
 * (053x Ketapang, 056x) and Kalimantan Tengah (0513, 0519, 0522, 0525, 0528, 053x) are WIB,
 * Kalimantan Selatan (0511, 0512, 0517, 0518, 0527), Timur and Utara (054x, 055x) are WITA; 0526
 * serves both Tamiang Layang (Kalteng, WIB) and Tanjung (Kalsel, WITA), so it falls back; 06xx
 * and 07xx Sumatra: WIB; 09xx Maluku, Maluku Utara and Papua: WIT.
 */

export type ZoneName = 'WIB' | 'WITA' | 'WIT';
export interface CustomerZone {
  name: ZoneName;
  tz: string;
}
export type ZoneSource = 'explicit' | 'area' | 'fallback';

export const ZONES: Readonly<Record<ZoneName, CustomerZone>> = {
  WIB: { name: 'WIB', tz: 'Asia/Jakarta' },
  WITA: { name: 'WITA', tz: 'Asia/Makassar' },
  WIT: { name: 'WIT', tz: 'Asia/Jayapura' },
};

const IANA_ZONES: Record<string, ZoneName> = {
  'asia/jakarta': 'WIB',
  'asia/pontianak': 'WIB',
  'asia/makassar': 'WITA',
  'asia/ujung_pandang': 'WITA',
  'asia/jayapura': 'WIT',
};

/** Area-code prefixes (national number without the trunk 0), longest match wins; null = spans two zones. */
const AREA_PREFIXES: ReadonlyArray<readonly [string, ZoneName | null]> = [
  ['2', 'WIB'],
  ['31', 'WIB'],
  ['32', 'WIB'],
  ['33', 'WIB'],
  ['34', 'WIB'],
  ['35', 'WIB'],
  ['36', 'WITA'],
  ['37', 'WITA'],
  ['38', 'WITA'],
  ['4', 'WITA'],
  ['511', 'WITA'],
  ['512', 'WITA'],
  ['513', 'WIB'],
  ['517', 'WITA'],
  ['518', 'WITA'],
  ['519', 'WIB'],
  ['522', 'WIB'],
  ['525', 'WIB'],
  ['526', null],
  ['527', 'WITA'],
  ['528', 'WIB'],
  ['53', 'WIB'],
  ['54', 'WITA'],
  ['55', 'WITA'],
  ['56', 'WIB'],
  ['6', 'WIB'],
  ['7', 'WIB'],
  ['9', 'WIT'],
];

export function parseZone(word: string | undefined): CustomerZone | null {
  const w = word?.trim() ?? '';
  const upper = w.toUpperCase();
  if (upper === 'WIB' || upper === 'WITA' || upper === 'WIT') return ZONES[upper];
  const name = IANA_ZONES[w.toLowerCase()];
  return name ? ZONES[name] : null;
}

export function areaZone(contactE164: string): CustomerZone | null {
  const digits = contactE164.replace(/[^\d+]/g, '');
  const national = digits.startsWith('+62') ? digits.slice(3) : digits.startsWith('0') ? digits.slice(1) : null;
  if (!national || national.startsWith('8')) return null;
  let best: readonly [string, ZoneName | null] | undefined;
  for (const entry of AREA_PREFIXES)
    if (national.startsWith(entry[0]) && entry[0].length > (best?.[0].length ?? 0)) best = entry;
  return best?.[1] ? ZONES[best[1]] : null;
}

export function zoneOf(
  contactE164: string | null | undefined,
  explicit: string | null | undefined,
  fallback: CustomerZone,
): CustomerZone & { source: ZoneSource } {
  if (explicit?.trim()) {
    // The option takes the three names agents know; IANA names are for configuration only.
    const zone = explicit.includes('/') ? null : parseZone(explicit);
    if (!zone) throw invalid('err.badZone', { option: 'zona', value: explicit.trim().slice(0, 10) });
    return { ...zone, source: 'explicit' };
  }
  const byArea = contactE164 ? areaZone(contactE164) : null;
  return byArea ? { ...byArea, source: 'area' } : { ...fallback, source: 'fallback' };
}
