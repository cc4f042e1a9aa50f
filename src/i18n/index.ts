import type { Catalogue, MessageKey } from './catalogue.js';
import { en } from './en.js';
import { id } from './id.js';

export type { Catalogue, MessageKey } from './catalogue.js';

export type Locale = 'id' | 'en';

export const catalogues: Record<Locale, Catalogue> = { id, en };
export const LOCALES: readonly Locale[] = ['id', 'en'];

export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

// `{n, plural, one {# ticket} other {# tickets}}`: the ICU shape, flat (no nesting), `#` = the number.
const PLURAL = /\{(\w+), plural,((?:\s*(?:=\d+|zero|one|two|few|many|other) \{[^{}]*\})+)\s*\}/g;
const PLURAL_CASE = /(=\d+|zero|one|two|few|many|other) \{([^{}]*)\}/g;

function plural(rules: Intl.PluralRules, cases: string, count: number): string | undefined {
  const found = new Map([...cases.matchAll(PLURAL_CASE)].map((m) => [m[1], m[2] ?? '']));
  const chosen = found.get(`=${count}`) ?? found.get(rules.select(count)) ?? found.get('other');
  return chosen?.replace(/#/g, String(count));
}

/** Placeholders are `{name}`; plural forms follow the locale's `Intl.PluralRules`; a missing parameter stays visible. */
export function translator(locale: Locale): Translate {
  const catalogue = catalogues[locale];
  const rules = new Intl.PluralRules(locale);
  return (key, params = {}) =>
    catalogue[key]
      .replace(PLURAL, (whole, name: string, cases: string) => {
        const n = params[name];
        return typeof n === 'number' ? (plural(rules, cases, n) ?? whole) : whole;
      })
      .replace(/\{(\w+)\}/g, (whole, name: string) => (params[name] === undefined ? whole : String(params[name])));
}

/** A platform's language tag (`en-US`, `en-GB`, `id`, `id-ID`) → a catalogue, or null for others. */
export function localeFromTag(tag: string | null | undefined): Locale | null {
  const base = tag?.trim().toLowerCase().split(/[-_]/)[0];
  if (base === 'en') return 'en';
  if (base === 'id' || base === 'in') return 'id';
  return null;
}
