import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { localeFromTag, translator } from '../../src/i18n/index.js';

/**
 * User-visible text lives in the catalogues. A practical check: in commands/ and src/services/,
 * the text handed to a reply — `ephemeral(ticket, …)`, `threadReply(core, ticket, …)`, a reply's
 * `text:` or `title:` — must not be a string literal with words in it (placeholders and
 * separators are fine: `${a}\n${b}`, ' · ').
 */
const REPLY_TEXT =
  /(?:ephemeral\([^,()]*,|threadReply\([^,()]*,[^,()]*,|\b(?:text|title|label):)\s*(['"`])((?:\\.|(?!\1)[^\\])*)\1/g;

/** Words that are no sentence: a positional's kind in a spec, a product's proper name. */
const NOT_PROSE = new Set(['required', 'optional', 'MONITA']);

/** A template's text without its `${…}` parts (nested braces too). */
function withoutPlaceholders(s: string): string {
  let out = s;
  for (let before = ''; before !== out; ) {
    before = out;
    out = out.replace(/\{[^{}]*\}/g, '');
  }
  return out.replace(/\$/g, '').replace(/\\n/g, ' ');
}

function literalReplyTexts(source: string): string[] {
  const found: string[] = [];
  for (const m of source.matchAll(REPLY_TEXT)) {
    if (NOT_PROSE.has(m[2] ?? '')) continue;
    if (/\p{L}{2,}/u.test(withoutPlaceholders(m[2] ?? ''))) found.push(m[0].slice(0, 80));
  }
  return found;
}

const filesIn = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join(dir, f));

describe('user-visible text only from the catalogues', () => {
  it('the check catches a literal and passes catalogue lookups and joins', () => {
    expect(literalReplyTexts("return [ephemeral(null, 'Tiket dibuka')];")).toHaveLength(1);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the checker reads source text, placeholders included
    expect(literalReplyTexts('{ audience: "thread", text: `Catatan ${who}` }')).toHaveLength(1);
    expect(literalReplyTexts("ephemeral(null, t('reply.opened', { ticket }))")).toHaveLength(0);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the checker reads source text, placeholders included
    expect(literalReplyTexts('text: `${opened}\\n${hint}`')).toHaveLength(0);
    expect(literalReplyTexts("label: ' · '")).toHaveLength(0);
  });

  it('no command or service hands a reply a literal with words', () => {
    const offenders = [...filesIn('commands'), ...filesIn('src/services')].flatMap((file) =>
      literalReplyTexts(readFileSync(file, 'utf8')).map((hit) => `${file}: ${hit}`),
    );
    expect(offenders).toEqual([]);
  });
});

describe('plural forms and platform languages', () => {
  it('English picks one/other with Intl.PluralRules; Indonesian has one form', () => {
    const en = translator('en');
    expect(en('search.title', { count: 1, query: 'x' })).toBe('1 ticket matches "x":');
    expect(en('search.title', { count: 3, query: 'x' })).toBe('3 tickets match "x":');
    expect(en('err.several', { count: 2 })).toBe('2 entries need fixing:');
    expect(translator('id')('search.title', { count: 1, query: 'x' })).toBe('1 tiket cocok dengan "x":');
  });

  it('maps Discord and Slack language tags to catalogues', () => {
    expect(localeFromTag('en-US')).toBe('en');
    expect(localeFromTag('en-GB')).toBe('en');
    expect(localeFromTag('id')).toBe('id');
    expect(localeFromTag('id-ID')).toBe('id');
    expect(localeFromTag('ja')).toBeNull();
    expect(localeFromTag(undefined)).toBeNull();
  });
});
