/**
 * Gateway payloads the fake Discord sends, shaped as Discord sends them (only the fields
 * discord.js reads are meaningful; the rest keep the shape honest).
 */
import type { FakeUser, Raw } from './wire.js';

export function memberPayload(u: FakeUser, roleIds: string[] = []): Raw {
  return {
    user: { id: u.id, username: u.username, discriminator: '0', global_name: u.username, avatar: null },
    roles: roleIds,
    joined_at: '2026-01-01T00:00:00.000Z',
    deaf: false,
    mute: false,
    flags: 0,
    permissions: '2248473465835073',
    nick: null,
    avatar: null,
  };
}

function rolePayload(id: string, name: string, position: number): Raw {
  return {
    id,
    name,
    permissions: '0',
    position,
    color: 0,
    hoist: false,
    managed: false,
    mentionable: position > 0,
    flags: 0,
  };
}

export interface GuildShape {
  guildId: string;
  ownerId: string;
  roles: { id: string; name: string }[];
  channels: Raw[];
  members: Raw[];
}

/** GUILD_CREATE right after READY: the guild with its roles, text channels and the bot's member. */
export function guildCreatePayload(g: GuildShape): Raw {
  return {
    id: g.guildId,
    name: 'Posko Test',
    icon: null,
    owner_id: g.ownerId,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    mfa_level: 0,
    nsfw_level: 0,
    premium_tier: 0,
    system_channel_flags: 0,
    preferred_locale: 'id',
    features: [],
    roles: [rolePayload(g.guildId, '@everyone', 0), ...g.roles.map((r, i) => rolePayload(r.id, r.name, i + 1))],
    emojis: [],
    stickers: [],
    channels: g.channels,
    threads: [],
    members: g.members,
    member_count: g.members.length + 1,
    large: false,
    unavailable: false,
    joined_at: '2026-01-01T00:00:00.000Z',
    voice_states: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}
