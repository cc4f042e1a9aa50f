/**
 * Turning neutral reply text into Slack mrkdwn safely.
 *
 * Slack gives `<…>` sequences special meaning (`<!channel>`, `<!here>`, `<@U…>`, `<url|label>`), so
 * every piece of text is escaped (&, <, >) and only user mentions are let through: the neutral
 * form `<@slack:U123>` and Slack's own `<@U123>` / `<@U123|name>` become `<@U123>`. Mentions of
 * users of other platforms are shown as plain `@id`. Nothing a user typed can become a broadcast.
 */

// <@slack:U123>, <@U123>, <@U123|name>, <@console:ani>, <@discord:123>
const MENTION = /<@(?:(slack|discord|console):)?([A-Za-z0-9_.-]+)(?:\|([^<>]*))?>/g;
const SLACK_USER_ID = /^[UW][A-Z0-9]+$/;
// Plain-text broadcast words: harmless without link_names, but defused anyway (zero-width joiner).
const BROADCAST_WORD = /@(channel|here|everyone)\b/gi;

export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(BROADCAST_WORD, '@\u2060$1');
}

/** A user key as Slack shows it: a native mention for Slack users, plain text otherwise. */
export function mentionUser(userKey: string): string {
  const [platform, id = ''] = userKey.includes(':') ? userKey.split(/:(.*)/s) : ['slack', userKey];
  if (platform === 'slack' && SLACK_USER_ID.test(id)) return `<@${id}>`;
  return escapeMrkdwn(`@${id}`);
}

/**
 * Escape everything and render mentions. With `pinging` given, only those user keys become native
 * mentions (which notify); other Slack users are named as plain `@name` so they are not pinged.
 */
export function toMrkdwn(text: string, pinging?: ReadonlySet<string>): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(MENTION)) {
    const [whole, platform, id = '', name] = m;
    const index = m.index ?? 0;
    out += escapeMrkdwn(text.slice(last, index));
    const isSlack = (platform === 'slack' || platform === undefined) && SLACK_USER_ID.test(id);
    if (isSlack && (!pinging || pinging.has(`slack:${id}`))) out += `<@${id}>`;
    else out += escapeMrkdwn(isSlack || platform ? `@${name ?? id}` : whole);
    last = index + whole.length;
  }
  return out + escapeMrkdwn(text.slice(last));
}

/** Plain text (modal titles, button labels): Slack does not parse it, but trim to its limits. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
