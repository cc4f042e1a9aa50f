/**
 * A link to a ticket's thread, built from the card's MessageRef (what the outbox recorded when
 * it posted the card), so the reporting room needs no platform call.
 */
import type { MessageRef } from '../db/schema.js';

export interface LinkContext {
  /** Discord links need the guild; without DISCORD_GUILD_ID there is no link, only the number. */
  discordGuildId?: string;
}

/**
 * Slack: `https://slack.com/archives/<channel>/p<ts without the dot>` — the workspace-free form,
 * which Slack redirects to the reader's workspace (a permalink from chat.getPermalink would cost a
 * call per ticket). Discord: the thread started on the card, else the card. Console: none.
 */
export function threadLink(ref: MessageRef | null | undefined, ctx: LinkContext): string | null {
  if (!ref) return null;
  if (ref.platform === 'slack' && /^\d+\.\d+$/.test(ref.messageId) && /^[A-Z0-9]+$/.test(ref.channel))
    return `https://slack.com/archives/${ref.channel}/p${ref.messageId.replace('.', '')}`;
  if (ref.platform === 'discord' && ctx.discordGuildId) {
    const path = ref.threadId ? ref.threadId : `${ref.channel}/${ref.messageId}`;
    return `https://discord.com/channels/${ctx.discordGuildId}/${path}`;
  }
  return null;
}

/**
 * The ticket number as a link in the neutral reply text: `[GGN-000042](https://…)`. Adapters
 * turn exactly this shape (a ticket number as label, an https URL) into a native link; anything
 * else a person typed stays text.
 */
export function ticketLink(number: string, url: string | null): string {
  return url ? `[${number}](${url})` : number;
}

/** The shape `ticketLink` writes, for the adapters. */
export const TICKET_LINK = /\[(GGN-\d{6,})\]\((https:\/\/[^\s()<>|\]]+)\)/g;
