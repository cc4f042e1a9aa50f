import type { ChecklistLine, FormSpec, Reply, ReplyButton, ReplyTime } from '../../reply.js';
import { clip, escapeMrkdwn, type MentionStyle, mentionUser, slackUsersIn, toMrkdwn } from './mrkdwn.js';

/** A Block Kit block; kept loose on purpose (Slack's own typings are a large union). */
export type Block = Record<string, unknown>;

export interface SlackMessage {
  /** Plain-text fallback (notifications, screen readers); always names the ticket number. */
  text: string;
  blocks: Block[];
}

/** Every action id posko puts on a button starts with this; the app routes clicks by it. */
export const ACTION_PREFIX = 'posko.';

/** What a button click carries back in its `value`: the command to run and an optional form. */
export interface ButtonPayload {
  /** A /tiket command line (without "/tiket") run as the clicker. */
  c: string;
  /** A form to collect first (e.g. the reject reason); its answers are appended as options. */
  f?: FormSpec;
}

const CHECK_ICON: Record<ChecklistLine['state'], string> = {
  done: ':white_check_mark:',
  pending: ':hourglass_flowing_sand:',
  missing: ':x:',
  na: ':heavy_minus_sign:',
};

// Slack's limits: section text 3000, a field 2000, 10 fields, header 150, button text 75, value 2000.
const SECTION_MAX = 3000;

/** Render a neutral Reply as a Slack message. */
export function renderReply(reply: Reply, names?: ReadonlyMap<string, string>): SlackMessage {
  const blocks: Block[] = [];
  const style = mentionStyle(reply, names);
  const md = (text: string) => toMrkdwn(text, style);
  if (reply.title) blocks.push({ type: 'header', text: { type: 'plain_text', text: clip(reply.title, 150) } });
  const text = withTimes(md(reply.text), reply.times);
  const lead = reply.error ? `:warning: ${text}` : text;
  blocks.push(section(lead));
  // A section holds at most 10 fields: a longer card continues in the next section.
  const fields = (reply.fields ?? []).map((f) => ({
    type: 'mrkdwn',
    text: clip(`*${md(f.label)}*\n${withTimes(md(f.value), f.times)}`, 2000),
  }));
  for (let i = 0; i < fields.length; i += 10) blocks.push({ type: 'section', fields: fields.slice(i, i + 10) });
  if (reply.checklist?.length) {
    const lines = reply.checklist.map((c) => `${CHECK_ICON[c.state]} ${md(c.clause)} ${md(c.label)}`);
    blocks.push(section(lines.join('\n')));
  }
  if (reply.history?.length) {
    blocks.push({ type: 'divider' });
    blocks.push(section(tail(reply.history.map(md), SECTION_MAX)));
  }
  const extraMentions = (reply.mentions ?? []).filter((key) => !reply.text.includes(`<@${key}>`));
  if (extraMentions.length) {
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: extraMentions.map(mentionUser).join(' ') }] });
  }
  if (reply.buttons?.length) {
    blocks.push({ type: 'actions', block_id: 'posko_actions', elements: reply.buttons.slice(0, 25).map(renderButton) });
  }
  return { text: fallbackText(reply, style), blocks };
}

/** A reply as the App Home tab (`views.publish`): the same blocks as an ephemeral answer, at most 100. */
export function homeView(reply: Reply): Block {
  return { type: 'home', blocks: renderReply({ ...reply, audience: 'ephemeral' }).blocks.slice(0, 100) };
}

/**
 * Slack's date formatting: each reader sees the time in their own zone; the fallback (old clients,
 * notifications) is the customer's clock with the zone's name, as the service wrote it.
 */
export function slackTime(time: ReplyTime): string {
  return `<!date^${time.unix}^{date_short_pretty} {time}|${escapeMrkdwn(time.text)}>`;
}

/** Each time's fallback text in already-rendered mrkdwn, replaced by Slack's date formatting. */
function withTimes(mrkdwn: string, times: readonly ReplyTime[] | undefined): string {
  let out = mrkdwn;
  for (const time of times ?? []) out = out.replace(escapeMrkdwn(time.text), slackTime(time));
  return out;
}

/**
 * In the channel only the reply's `mentions` may ping; everyone else it names is shown by name.
 * An ephemeral message notifies no one, so there every Slack user is a native mention.
 */
function mentionStyle(reply: Reply, names?: ReadonlyMap<string, string>): MentionStyle {
  return reply.audience === 'ephemeral' ? {} : { pinging: new Set(reply.mentions ?? []), names };
}

/** The Slack users a reply names without pinging them: the ones whose display names help. */
export function unpingedUsers(reply: Reply): string[] {
  if (reply.audience === 'ephemeral') return [];
  const pinging = new Set(reply.mentions ?? []);
  const texts = [reply.text, ...(reply.fields ?? []).flatMap((f) => [f.label, f.value]), ...(reply.history ?? [])];
  return [...new Set(texts.flatMap(slackUsersIn))].filter((key) => !pinging.has(key));
}

/** The fallback: the reply's text with native mentions, always naming the ticket number. */
export function fallbackText(reply: Reply, style: MentionStyle = mentionStyle(reply)): string {
  const mentions = (reply.mentions ?? []).filter((key) => !reply.text.includes(`<@${key}>`)).map(mentionUser);
  const text = [toMrkdwn(reply.text, style), ...mentions].join(' ').trim();
  return reply.ticket && !text.includes(reply.ticket) ? `${reply.ticket}: ${text}` : text;
}

function renderButton(button: ReplyButton, index: number): Block {
  const payload: ButtonPayload = { c: button.command };
  if (button.form) payload.f = button.form;
  const el: Block = {
    type: 'button',
    // Unique within the block even when two buttons share a neutral action id.
    action_id: `${ACTION_PREFIX}${index}.${button.actionId}`,
    text: { type: 'plain_text', text: clip(button.label, 75) },
    value: clip(JSON.stringify(payload), 2000),
  };
  if (button.style) el.style = button.style;
  return el;
}

/** Read back a clicked button's value (tolerates a bare command line from older messages). */
export function parseButtonValue(value: string | undefined): ButtonPayload | undefined {
  if (!value) return undefined;
  try {
    const parsed = JSON.parse(value) as ButtonPayload;
    if (typeof parsed.c !== 'string') return undefined;
    // A form that is not one (a value we never wrote) is ignored: the command runs and says what it lacks.
    const form = parsed.f;
    if (form && (typeof form.title !== 'string' || !Array.isArray(form.fields))) return { c: parsed.c };
    return parsed;
  } catch {
    return { c: value };
  }
}

function section(text: string): Block {
  return { type: 'section', text: { type: 'mrkdwn', text: clip(text || ' ', SECTION_MAX) } };
}

/** The newest lines that fit: history is read from the bottom. */
function tail(lines: string[], max: number): string {
  const kept: string[] = [];
  let size = 0;
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i] ?? '';
    if (size + line.length + 1 > max - 2) {
      kept.unshift('…');
      break;
    }
    kept.unshift(line);
    size += line.length + 1;
  }
  return kept.join('\n');
}
