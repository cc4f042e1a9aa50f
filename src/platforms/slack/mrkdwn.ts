/**
 * Turning neutral reply text into Slack mrkdwn safely.
 *
 * Slack gives `<…>` sequences special meaning (`<!channel>`, `<!here>`, `<@U…>`, `<url|label>`), so
 * every piece of text is escaped (&, <, >) and only user mentions are let through: the neutral
 * form `<@slack:U123>` and Slack's own `<@U123>` / `<@U123|name>` become `<@U123>`. Mentions of
 * users of other platforms are shown as plain `@id`. Nothing a user typed can become a broadcast.
 */

import { TICKET_LINK } from '../../reports/links.js';

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

/** How mentions render: which user keys may ping, and display names for the others. */
export interface MentionStyle {
  /** Only these become native mentions (which notify); undefined = every Slack user. */
  pinging?: ReadonlySet<string>;
  /** Display names by user key, for Slack users named without a ping. */
  names?: ReadonlyMap<string, string>;
}

/**
 * Escape everything and render mentions: native where they may ping, `@name` elsewhere. A ticket
 * link the reporting room wrote (`[GGN-000042](https://…)`, src/reports/links.ts) becomes a Slack
 * link; no other bracket text does, so nothing a person typed turns into a disguised link.
 */
export function toMrkdwn(text: string, style: MentionStyle = {}): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(TICKET_LINK)) {
    const [whole, label = '', url = ''] = m;
    const index = m.index ?? 0;
    out += mentionsToMrkdwn(text.slice(last, index), style);
    out += `<${url.replace(/&/g, '&amp;')}|${escapeMrkdwn(label)}>`;
    last = index + whole.length;
  }
  return out + mentionsToMrkdwn(text.slice(last), style);
}

function mentionsToMrkdwn(text: string, style: MentionStyle): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(MENTION)) {
    const [whole, platform, id = '', name] = m;
    const index = m.index ?? 0;
    out += escapeMrkdwn(text.slice(last, index));
    const isSlack = (platform === 'slack' || platform === undefined) && SLACK_USER_ID.test(id);
    if (isSlack && (!style.pinging || style.pinging.has(`slack:${id}`))) out += `<@${id}>`;
    else if (isSlack) out += escapeMrkdwn(`@${style.names?.get(`slack:${id}`) ?? name ?? id}`);
    else out += escapeMrkdwn(platform ? `@${name ?? id}` : whole);
    last = index + whole.length;
  }
  return out + escapeMrkdwn(text.slice(last));
}

/** Slack user keys a text names (for looking up display names). */
export function slackUsersIn(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(MENTION)) {
    const [, platform, id = ''] = m;
    if ((platform === 'slack' || platform === undefined) && SLACK_USER_ID.test(id)) out.push(`slack:${id}`);
  }
  return out;
}

/** Plain text (modal titles, button labels): Slack does not parse it, but trim to its limits. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
