import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { catalogues } from '../../src/i18n/index.js';

// `{name}` and the plural form's `{name, plural, …}` both name a parameter.
const placeholders = (s: string) => [...new Set([...s.matchAll(/\{(\w+)(?:\}|, plural,)/g)].map((m) => m[1]))].sort();

describe('message catalogues', () => {
  it('id and en have the same keys, none empty, with the same placeholders', () => {
    const { id, en } = catalogues;
    expect(Object.keys(en).sort()).toEqual(Object.keys(id).sort());
    for (const key of Object.keys(id) as (keyof typeof id)[]) {
      expect(id[key].trim(), key).not.toBe('');
      expect(en[key].trim(), key).not.toBe('');
      expect(placeholders(en[key]), key).toEqual(placeholders(id[key]));
    }
  });
});

describe('configuration', () => {
  it('defaults an empty environment, treating empty variables as unset', () => {
    const c = loadConfig({ POSKO_LOCALE: '', PORT: '' } as NodeJS.ProcessEnv, '');
    expect(c).toMatchObject({
      POSKO_LOCALE: 'id',
      PORT: 3000,
      POSKO_TIMEZONE: 'Asia/Jakarta',
      POSKO_DATA_DIR: './.posko/data',
    });
  });

  it.each([
    ['POSKO_LOCALE', 'fr'],
    ['PORT', 'abc'],
    ['MONITA_POLL_CRON', 'every minute'],
    ['POSKO_TIMEZONE', 'Mars/Olympus'],
    ['POSKO_ADMINS', 'bob'],
    ['DATABASE_URL', 'mysql://x'],
    ['MONITA_URL', 'not a url'],
  ])('a wrong %s stops start with one line naming it', (name, value) => {
    expect(() => loadConfig({ [name]: value } as NodeJS.ProcessEnv, '')).toThrow(ConfigError);
    try {
      loadConfig({ [name]: value } as NodeJS.ProcessEnv, '');
    } catch (err) {
      expect((err as Error).message.startsWith(`${name}:`)).toBe(true);
      expect((err as Error).message).not.toContain('\n');
    }
  });
});
