/**
 * Whether a chat is served (only allowlisted chats are): by its own key or any of
 * its other allowlist keys (a Discord channel's guild, a DM's channel). One place for the
 * rule, used when a command arrives and again when an alert is about to be sent, so a chat
 * denied in between gets nothing. See docs/security.md, "Access".
 */
import type { AllowlistRepository } from '../db/repositories/allowlist.js';
import type { ChatLink } from '../db/repositories/links.js';
import type { ChatContext } from './inbound.js';

/** The keys that admit a chat: its id first, then its aliases. */
function chatKeys(chat: ChatContext): string[] {
  return [chat.id, ...(chat.aliases ?? [])];
}

function anyAllowed(allowlist: Pick<AllowlistRepository, 'has'>, keys: readonly string[]): boolean {
  return keys.some((key) => allowlist.has(key));
}

/** The one allowlist check for a chat, wherever it is made (commands, Discord's form and autocomplete). */
export function chatAllowed(allowlist: Pick<AllowlistRepository, 'has'>, chat: ChatContext): boolean {
  return anyAllowed(allowlist, chatKeys(chat));
}

/**
 * A linked chat, checked at send time. A Discord link made before the bot recorded its
 * guild (allowKeys null) cannot be checked against the guild: it counts as allowed until
 * its next command records the keys; every other link is checked exactly.
 */
export function linkAllowed(allowlist: Pick<AllowlistRepository, 'has'>, link: Pick<ChatLink, 'chat' | 'allowKeys'>): boolean {
  if (link.allowKeys === null && link.chat.startsWith('dc:')) return true;
  return anyAllowed(allowlist, [link.chat, ...(link.allowKeys ?? [])]);
}
