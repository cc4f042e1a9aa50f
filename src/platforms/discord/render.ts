/**
 * A neutral Reply as a Discord message body (raw API JSON): the plain-text fallback as content,
 * the card as an embed, buttons as components, and `allowed_mentions` that lets only the
 * people in `reply.mentions` be pinged — never @everyone, @here or a role, whatever the text says.
 */
import type { Reply, ReplyButton, ReplyTime } from '../../reply.js';
import { rememberForm } from './forms.js';

export interface DiscordMessageBody {
  content: string;
  embeds: Record<string, unknown>[];
  components: Record<string, unknown>[];
  allowed_mentions: { parse: never[]; users: string[]; roles: never[]; replied_user: false };
  flags?: number;
}

export const EPHEMERAL_FLAG = 64;
const CONTENT_MAX = 2000;
const CUSTOM_ID_MAX = 100;

/** custom_id prefixes: run a command line as the clicker; open a form first (modals: forms.ts). */
export const RUN_PREFIX = 'c|';
export const FORM_BUTTON_PREFIX = 'f|';

const STATE_ICON = { done: '✅', pending: '⏳', missing: '❌', na: '➖' } as const;
const COLOR = { error: 0xd9534f, ticket: 0x2f80ed, plain: 0x7f8c8d } as const;

export const clip = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

/** The Discord user id of a `discord:123` key, else null. */
export function discordId(userKey: string): string | null {
  const m = /^discord:(\d{5,25})$/.exec(userKey);
  return m ? m[1]! : null;
}

/**
 * `<@discord:123>` becomes a native mention; keys of other platforms become plain text (they
 * cannot be pinged here). `allowed_mentions` is what guarantees who is pinged; @everyone and
 * @here are also defused in the text so they do not even read like a ping. Square brackets are
 * escaped, so no text can become a masked link (`[Klik verifikasi](https://evil.example)`,
 * `[x](<url>)`) that hides where it leads: the address shows as typed.
 */
export function renderText(text: string): string {
  return text
    .replace(/[[\]]/g, '\\$&')
    .replace(/<@([a-z]+):([^>\s]+)>/g, (_all, platform: string, id: string) =>
      platform === 'discord' && /^\d+$/.test(id) ? `<@${id}>` : `@${id}`,
    )
    .replace(/@(everyone|here)\b/gi, '@\u200b$1');
}

/**
 * Discord's timestamps: the full date and time in each reader's zone and a live countdown
 * ("in 3 hours"), so the card needs no edit as time passes. The customer's clock stays in the
 * plain fallback (notifications, the console).
 */
export function discordTime(time: ReplyTime): string {
  return `<t:${time.unix}:f> (<t:${time.unix}:R>)`;
}

/** Each time's fallback text in already-rendered text, replaced by Discord's timestamp. */
function withTimes(rendered: string, times: readonly ReplyTime[] | undefined): string {
  let out = rendered;
  for (const time of times ?? []) out = out.replace(renderText(time.text), discordTime(time));
  return out;
}

function customIdFor(button: ReplyButton): string {
  if (button.form) return rememberForm(clip(`${FORM_BUTTON_PREFIX}${button.command}`, CUSTOM_ID_MAX), button.form);
  return clip(`${RUN_PREFIX}${button.command}`, CUSTOM_ID_MAX);
}

function buttonRows(buttons: readonly ReplyButton[]): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < buttons.length && rows.length < 5; i += 5) {
    rows.push({
      type: 1,
      components: buttons.slice(i, i + 5).map((b) => ({
        type: 2,
        style: b.style === 'primary' ? 1 : b.style === 'danger' ? 4 : 2,
        label: clip(b.label, 80),
        custom_id: customIdFor(b),
      })),
    });
  }
  return rows;
}

/** Keeps the newest lines that fit one embed field. */
function lastLinesWithin(lines: readonly string[], max: number): string {
  const kept: string[] = [];
  let size = 0;
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = clip(renderText(lines[i]!), max);
    if (size + line.length + 1 > max) break;
    kept.unshift(line);
    size += line.length + 1;
  }
  return kept.join('\n');
}

function embedOf(reply: Reply): Record<string, unknown> | null {
  const hasCard = reply.title || reply.fields?.length || reply.checklist?.length || reply.history?.length;
  if (!hasCard) return null;
  const fields: { name: string; value: string; inline: boolean }[] = (reply.fields ?? []).slice(0, 22).map((f) => ({
    name: clip(f.label || '-', 256),
    value: clip(withTimes(renderText(f.value), f.times) || '-', 1024),
    inline: f.value.length <= 40,
  }));
  if (reply.checklist?.length) {
    const lines = reply.checklist.map((c) => `${STATE_ICON[c.state]} ${c.clause} ${c.label}`);
    fields.push({ name: 'SOP', value: lastLinesWithin(lines, 1024) || '-', inline: false });
  }
  if (reply.history?.length) {
    fields.push({ name: '🕘', value: lastLinesWithin(reply.history, 1024) || '-', inline: false });
  }
  return {
    title: clip(reply.title ?? reply.ticket ?? 'posko', 256),
    color: reply.error ? COLOR.error : reply.ticket ? COLOR.ticket : COLOR.plain,
    fields,
    ...(reply.ticket ? { footer: { text: reply.ticket } } : {}),
  };
}

/** Who may be pinged: only Discord users listed in `mentions`. */
export function allowedMentions(reply: Reply): DiscordMessageBody['allowed_mentions'] {
  const users = [...new Set((reply.mentions ?? []).map(discordId).filter((id): id is string => id !== null))];
  return { parse: [], users: users.slice(0, 100), roles: [], replied_user: false };
}

/** The message body for a channel/thread post or an interaction response. */
export function renderMessage(reply: Reply, opts: { ephemeral?: boolean } = {}): DiscordMessageBody {
  const embed = embedOf(reply);
  const body: DiscordMessageBody = {
    content: clip(withTimes(renderText(reply.text), reply.times), CONTENT_MAX),
    embeds: embed ? [embed] : [],
    components: reply.buttons?.length ? buttonRows(reply.buttons) : [],
    allowed_mentions: allowedMentions(reply),
  };
  if (opts.ephemeral) body.flags = EPHEMERAL_FLAG;
  return body;
}

/** A thread name for a ticket's card (Discord allows 100 characters); it always names the ticket. */
export function threadName(reply: Reply): string {
  const { ticket, title } = reply;
  if (!title) return clip(ticket ?? 'posko', 100);
  return clip(ticket && !title.includes(ticket) ? `${ticket} · ${title}` : title, 100);
}
