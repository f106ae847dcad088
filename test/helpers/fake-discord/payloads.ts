// Builders for the raw Discord API objects the fake hands to discord.js. Only fields that
// discord.js reads (or that a real payload always has) are filled in.
import type { FakeChannelConfig, FakeGuildConfig, RecordedMessage } from './types.js';

const DISCORD_EPOCH = 1420070400000n;

export function createSnowflakes(): () => string {
  let counter = 0n;
  let last = 0n;
  return () => {
    const now = BigInt(Date.now()) - DISCORD_EPOCH;
    counter = now === last ? counter + 1n : 0n;
    last = now;
    return ((now << 22n) | (counter & 0xfffn)).toString();
  };
}

/** Every permission bit; the bot is treated as an administrator everywhere. */
export const ALL_PERMISSIONS = '2251799813685247';

export function userPayload(id: string, username = `user${id}`, bot = false): Record<string, unknown> {
  return {
    id,
    username,
    global_name: username,
    discriminator: '0',
    avatar: null,
    bot,
    public_flags: 0,
    flags: 0,
  };
}

export function memberPayload(user: Record<string, unknown>, joinedAt: string): Record<string, unknown> {
  return {
    user,
    nick: null,
    avatar: null,
    roles: [],
    joined_at: joinedAt,
    premium_since: null,
    deaf: false,
    mute: false,
    pending: false,
    flags: 0,
    communication_disabled_until: null,
    permissions: ALL_PERMISSIONS,
  };
}

export function guildChannelPayload(guildId: string, channel: FakeChannelConfig, position: number): Record<string, unknown> {
  return {
    id: channel.id,
    type: channel.type,
    name: channel.name,
    guild_id: guildId,
    position,
    permission_overwrites: [],
    nsfw: false,
    parent_id: null,
    topic: null,
    rate_limit_per_user: 0,
    last_message_id: null,
    flags: 0,
  };
}

export function dmChannelPayload(channelId: string, recipient: Record<string, unknown>): Record<string, unknown> {
  return { id: channelId, type: 1, last_message_id: null, flags: 0, recipients: [recipient] };
}

export function guildCreatePayload(guild: FakeGuildConfig, bot: Record<string, unknown>, joinedAt: string): Record<string, unknown> {
  return {
    id: guild.id,
    name: guild.name ?? `guild-${guild.id}`,
    icon: null,
    splash: null,
    discovery_splash: null,
    owner_id: '1',
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    roles: [
      {
        id: guild.id,
        name: '@everyone',
        color: 0,
        hoist: false,
        icon: null,
        unicode_emoji: null,
        position: 0,
        permissions: ALL_PERMISSIONS,
        managed: false,
        mentionable: false,
        flags: 0,
      },
    ],
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: 0,
    application_id: null,
    system_channel_id: null,
    system_channel_flags: 0,
    rules_channel_id: null,
    vanity_url_code: null,
    description: null,
    banner: null,
    premium_tier: 0,
    premium_subscription_count: 0,
    preferred_locale: 'en-US',
    public_updates_channel_id: null,
    nsfw_level: 0,
    premium_progress_bar_enabled: false,
    safety_alerts_channel_id: null,
    joined_at: joinedAt,
    large: false,
    unavailable: false,
    member_count: 1,
    voice_states: [],
    members: [memberPayload(bot, joinedAt)],
    channels: guild.channels.map((channel, index) => guildChannelPayload(guild.id, channel, index)),
    threads: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

export function messagePayload(message: RecordedMessage, author: Record<string, unknown>, applicationId?: string): Record<string, unknown> {
  const payload: Record<string, unknown> = {
    id: message.id,
    channel_id: message.channelId,
    type: message.source === 'interaction' ? 20 : 0,
    content: message.content,
    author,
    timestamp: new Date(message.createdAt).toISOString(),
    edited_timestamp: message.editedAt === undefined ? null : new Date(message.editedAt).toISOString(),
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: message.attachments.map((a) => ({
      id: a.id,
      filename: a.filename,
      size: a.size,
      url: `https://cdn.discordapp.com/attachments/${message.channelId}/${a.id}/${a.filename}`,
      proxy_url: `https://media.discordapp.net/attachments/${message.channelId}/${a.id}/${a.filename}`,
      content_type: a.contentType,
      ...(a.description === undefined ? {} : { description: a.description }),
    })),
    embeds: message.embeds,
    components: message.components,
    pinned: false,
    flags: message.flags,
  };
  if (applicationId !== undefined) {
    payload.application_id = applicationId;
    payload.webhook_id = applicationId;
  }
  return payload;
}
