import { en } from './en.js';
import { id } from './id.js';

export type MessageKey = keyof typeof id;
export type Locale = 'id' | 'en';
export type Catalogue = Record<MessageKey, string>;

export const catalogues: Record<Locale, Catalogue> = { id, en };

export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

/** Placeholders are `{name}`; a missing parameter stays visible rather than vanishing. */
export function translator(locale: Locale): Translate {
  const catalogue = catalogues[locale];
  return (key, params = {}) =>
    catalogue[key].replace(/\{(\w+)\}/g, (whole, name: string) =>
      params[name] === undefined ? whole : String(params[name]),
    );
}
