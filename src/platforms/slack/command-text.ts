/**
 * Slash-command text arrives escaped by Slack: `&`, `<`, `>` as entities, users as `<@U123|name>`,
 * channels as `<#C123|name>`, links as `<https://…|label>`. Turn it back into what the person typed,
 * keeping user mentions in the `<@U123>` form the parser understands (a display name can hold
 * spaces, which would split the token).
 */
const USER_MENTION = /(<@[UW][A-Z0-9]+(?:\|[^>]*)?>)/;

export function commandText(escaped: string): string {
  return escaped
    .split(USER_MENTION)
    .map((part, i) => (i % 2 === 1 ? part.replace(/\|[^>]*>$/, '>') : unescapePlain(part)))
    .join('');
}

function unescapePlain(text: string): string {
  return text
    .replace(/<#[A-Z0-9]+\|([^>]*)>/g, '#$1')
    .replace(/<#([A-Z0-9]+)>/g, '#$1')
    .replace(/<((?:https?|mailto|tel):[^|>]*)(?:\|[^>]*)?>/g, '$1')
    .replace(/<!([a-z]+)(?:\^[^|>]*)?(?:\|([^>]*))?>/g, (_m, word: string, label?: string) => label ?? `@${word}`)
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
