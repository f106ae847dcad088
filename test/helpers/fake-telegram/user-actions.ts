import { randomBytes } from 'node:crypto';
import { newCallbackQueryId, newChatId, newUserId } from './ids.js';
import type { FakeState } from './method-context.js';
import type { FakeChat, FakeUser } from './types.js';

export interface UserMessageInput {
  /** Default: the user's private chat (`chatId === userId`). */
  readonly chatId?: number;
  /** Default: a fresh realistic user id. */
  readonly userId?: number;
  readonly text: string;
  /** Default: `private` for positive ids, else `supergroup` for `-100…` ids, else `group`. */
  readonly chatType?: 'private' | 'group' | 'supergroup';
  readonly firstName?: string;
  readonly username?: string;
  readonly chatTitle?: string;
  /** Makes the message a reply to this message id in the same chat. */
  readonly replyToMessageId?: number;
}

export interface PressButtonInput {
  readonly chatId: number;
  readonly userId: number;
  readonly messageId: number;
  readonly data: string;
  readonly firstName?: string;
  /** Skip the check that the message really carries a button with this `callback_data`. */
  readonly force?: boolean;
}

function chatTypeFor(chatId: number, given: UserMessageInput['chatType']): FakeChat['type'] {
  if (given !== undefined) return given;
  if (chatId > 0) return 'private';
  return chatId < -1_000_000_000_000 ? 'supergroup' : 'group';
}

function userFor(state: FakeState, id: number, firstName: string | undefined, username?: string): FakeUser {
  return state.store.upsertUser({
    id,
    is_bot: false,
    first_name: firstName ?? 'Alice',
    ...(username !== undefined ? { username } : {}),
    language_code: 'en',
  });
}

/** Commands get a `bot_command` entity, as Telegram clients send them. */
function commandEntities(text: string): Record<string, unknown> {
  const m = /^\/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]+)?/.exec(text);
  return m === null ? {} : { entities: [{ offset: 0, length: m[0].length, type: 'bot_command' }] };
}

/** Queues a `message` update as if a user typed `text`; returns the new message id. */
export function sendUserMessage(state: FakeState, input: UserMessageInput): number {
  const type = input.chatType ?? (input.chatId === undefined ? 'private' : chatTypeFor(input.chatId, undefined));
  const userId = input.userId ?? (type === 'private' && input.chatId !== undefined ? input.chatId : newUserId());
  const chatId = input.chatId ?? (type === 'private' ? userId : newChatId(type));
  if (type === 'private' && chatId !== userId) {
    throw new Error(`fake Telegram: a private chat's id is its user's id (chatId ${chatId} ≠ userId ${userId})`);
  }
  if (type !== 'private' && chatId > 0) throw new Error(`fake Telegram: group chat ids are negative (got ${chatId})`);
  const from = userFor(state, userId, input.firstName, input.username);
  const chat = state.store.ensureChat(
    type === 'private'
      ? { id: chatId, type, first_name: from.first_name, ...(from.username !== undefined ? { username: from.username } : {}) }
      : { id: chatId, type, title: input.chatTitle ?? 'Home group' },
  );
  const reply = input.replyToMessageId === undefined ? undefined : state.store.findMessage(chatId, input.replyToMessageId);
  if (input.replyToMessageId !== undefined && reply === undefined) {
    throw new Error(`fake Telegram: no message ${input.replyToMessageId} in chat ${chatId} to reply to`);
  }
  const message = state.store.addMessage(chatId, (messageId) => ({
    message_id: messageId,
    from,
    chat,
    date: Math.floor(state.now() / 1000),
    text: input.text,
    ...commandEntities(input.text),
    ...(reply !== undefined ? { reply_to_message: reply } : {}),
  }));
  state.queue.push({ message });
  return message.message_id;
}

function hasButton(markup: unknown, data: string): boolean {
  if (typeof markup !== 'object' || markup === null || !('inline_keyboard' in markup)) return false;
  const rows = markup.inline_keyboard;
  if (!Array.isArray(rows)) return false;
  return rows.some((row) => Array.isArray(row) && row.some((b) => typeof b === 'object' && b !== null && 'callback_data' in b && b.callback_data === data));
}

/** Queues a `callback_query` update for a button on one of the bot's messages; returns its id. */
export function pressButton(state: FakeState, input: PressButtonInput): string {
  const message = state.store.findMessage(input.chatId, input.messageId);
  if (message === undefined) {
    throw new Error(`fake Telegram: no live message ${input.messageId} in chat ${input.chatId} to press a button on`);
  }
  if (input.force !== true && !hasButton(message['reply_markup'], input.data)) {
    throw new Error(
      `fake Telegram: message ${input.messageId} has no button with callback_data ${JSON.stringify(input.data)} ` +
        `(markup: ${JSON.stringify(message['reply_markup'] ?? null)})`,
    );
  }
  const from = userFor(state, input.userId, input.firstName);
  const id = newCallbackQueryId();
  state.callbackQueries.set(id, { chatId: input.chatId, messageId: input.messageId, data: input.data, answered: false });
  state.queue.push({
    callback_query: {
      id,
      from,
      message,
      chat_instance: `-${BigInt(`0x${randomBytes(7).toString('hex')}`).toString()}`,
      data: input.data,
    },
  });
  return id;
}
