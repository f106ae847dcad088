/**
 * Telegram update → the core's platform-neutral event. Pure functions: no I/O, so the
 * mapping rules (whose command is it, which chat kind) are easy to read and test.
 */
import type { Chat, User } from 'grammy/types';
import type { Caller, ChatContext, InboundEvent } from '../core/inbound.js';

// `/name`, optionally `@botname`, then the rest of the message (which may span lines).
const COMMAND = /^\/([A-Za-z0-9_]{1,64})(?:@([A-Za-z0-9_]+))?(?:\s+([\s\S]*))?$/;

/**
 * A message text as an event. In a group, `/cmd@otherbot` is addressed to another bot and
 * yields undefined (ignored); in a private chat there is no other bot, so it is plain text
 * (it may be a password). The bot's own name is optional and compared case-insensitively.
 * A command keeps the text as typed in `raw`: while a login waits for a secret, that is the value.
 */
export function eventFromText(text: string, botUsername: string | undefined, chatKind: 'private' | 'group' = 'group'): InboundEvent | undefined {
  const match = COMMAND.exec(text.trim());
  if (match === null) return { type: 'text', text };
  const [, name = '', addressee, rest] = match;
  if (addressee !== undefined && addressee.toLowerCase() !== (botUsername ?? '').toLowerCase()) {
    return chatKind === 'private' ? { type: 'text', text } : undefined;
  }
  const args = rest?.trim() ?? '';
  return { type: 'command', name: name.toLowerCase(), ...(args.length > 0 ? { text: args } : {}), raw: text };
}

/** Chat kinds the bot serves; channels (broadcast only) are not among them. */
export function chatContext(chat: Chat): ChatContext | undefined {
  if (chat.type === 'channel') return undefined;
  return { id: `tg:${chat.id}`, platform: 'tg', kind: chat.type === 'private' ? 'private' : 'group' };
}

export function caller(user: User): Caller {
  const displayName = user.username ?? [user.first_name, user.last_name].filter(Boolean).join(' ');
  return { id: `tg:${user.id}`, ...(displayName ? { displayName } : {}) };
}

/** 'tg:-100123' → -100123; undefined for any other platform's key or a malformed one. */
export function telegramChatId(chatKey: string): number | undefined {
  const match = /^tg:(-?\d{1,20})$/.exec(chatKey);
  if (match?.[1] === undefined) return undefined;
  const id = Number(match[1]);
  return Number.isSafeInteger(id) ? id : undefined;
}

/** A button's `callback_data` for an action-store token (`a:` + ≤ 12 characters, well within 64 bytes). */
export function callbackData(token: string): string {
  return `a:${token}`;
}

/** The action-store token in `callback_data`, or undefined when it is not one of ours. */
export function callbackToken(data: string): string | undefined {
  return data.startsWith('a:') ? data.slice(2) : undefined;
}

/** The action store's chat key for a Telegram chat. */
export function actionChat(chatId: number): string {
  return String(chatId);
}
