/**
 * Discord interaction → the core's chat, caller and options. Pure functions over the few
 * fields we read, so the rules (which allowlist keys admit a chat) are easy to test.
 */
import type { Caller, ChatContext } from '../core/inbound.js';

/** InteractionContextType.PrivateChannel: a DM or group DM the bot is not a member of. */
const PRIVATE_CHANNEL = 2;
/** InteractionContextType.BotDM. */
const BOT_DM = 1;

/** The DM channel to remember for alerts to 'dc:<user>': only an interaction in the user's DM with the bot. */
export function botDmChannel(where: InteractionWhere): string | undefined {
  return where.guildId === null && where.context === BOT_DM && where.channelId !== null ? where.channelId : undefined;
}

/** The fields of an interaction this front end reads. */
export interface InteractionWhere {
  channelId: string | null;
  guildId: string | null;
  /** Discord's interaction context: 0 guild, 1 the bot's DM, 2 another DM or group DM; null when not sent. */
  context?: number | null;
  user: { id: string; username?: string; globalName?: string | null };
}

/**
 * Guild channel: id 'dc:<channel>', alias the guild. DM: id 'dc:<user>' (docs/chat-contract.md §4: a user
 * id allows that user's DMs; links and alerts for a DM use it too), alias the DM channel.
 */
export function chatContext(where: InteractionWhere): ChatContext {
  if (where.guildId !== null) {
    return { id: `dc:${where.channelId ?? where.guildId}`, platform: 'dc', kind: 'group', aliases: [`dc:${where.guildId}`] };
  }
  if (where.context === PRIVATE_CHANNEL) {
    // Someone else's DM or a group DM: never the user's own private chat with the bot.
    return { id: `dc:${where.channelId ?? where.user.id}`, platform: 'dc', kind: 'group' };
  }
  return {
    id: `dc:${where.user.id}`,
    platform: 'dc',
    kind: 'private',
    ...(where.channelId !== null ? { aliases: [`dc:${where.channelId}`] } : {}),
  };
}

export function caller(where: InteractionWhere): Caller {
  const displayName = where.user.globalName ?? where.user.username;
  return { id: `dc:${where.user.id}`, ...(displayName ? { displayName } : {}) };
}

/** A raw option as discord.js exposes it (`interaction.options.data`). */
export interface RawOption {
  name: string;
  value?: string | number | boolean | null | undefined;
  options?: readonly RawOption[] | undefined;
}

/** Top-level option values as strings (every option of ours is a STRING option). */
export function optionsRecord(options: readonly RawOption[]): Record<string, string> {
  const record: Record<string, string> = {};
  for (const option of options) {
    if (option.value !== undefined && option.value !== null) record[option.name] = String(option.value);
  }
  return record;
}

/** 'dc:123' → '123'; undefined for another platform's key or a malformed one. */
export function discordId(chatKey: string): string | undefined {
  return /^dc:(\d{1,25})$/.exec(chatKey)?.[1];
}
