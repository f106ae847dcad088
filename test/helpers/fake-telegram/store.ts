import { BotApiError } from './bot-api-error.js';
import { firstMessageId, newFileId, newFileUniqueId, type FileKind } from './ids.js';
import type { ChatType, FakeChat, FakeMessage, FakeUser } from './types.js';

/** A file the fake handed out a `file_id` for. Every size of a photo points at one of these. */
export interface StoredFile {
  readonly kind: FileKind;
  readonly fileUniqueId: string;
  readonly size: number;
  readonly sha256: string;
  readonly bytes: Buffer | undefined;
  readonly fileName: string;
  readonly mimeType: string;
  readonly filePath: string;
}

interface ChatState {
  chat: FakeChat;
  nextMessageId: number;
  /** Every message in the chat, in order; deleted ones stay with `deleted` set. */
  messages: { message: FakeMessage; deleted: boolean }[];
  /** Set by `blockChat`: every send then answers 403. */
  blocked: boolean;
}

export interface StoreOptions {
  readonly bot: FakeUser;
  /** Chats the bot never saw answer "chat not found" when true; default auto-creates them. */
  readonly strictChats: boolean;
}

/** Users, chats, messages and files: what the fake "Telegram" remembers between calls. */
export function createStore(options: StoreOptions) {
  const users = new Map<number, FakeUser>();
  const chats = new Map<number, ChatState>();
  const files = new Map<string, StoredFile>();

  const ensureChat = (chat: FakeChat): ChatState => {
    let state = chats.get(chat.id);
    if (state === undefined) {
      state = { chat, nextMessageId: firstMessageId(), messages: [], blocked: false };
      chats.set(chat.id, state);
    }
    return state;
  };

  const chatFor = (chatId: unknown): ChatState => {
    const id = typeof chatId === 'string' && /^-?\d+$/.test(chatId) ? Number(chatId) : chatId;
    if (typeof id !== 'number' || !Number.isInteger(id)) {
      throw new BotApiError(400, 'Bad Request: chat not found');
    }
    const known = chats.get(id);
    if (known !== undefined) return known;
    if (options.strictChats || id === 0) throw new BotApiError(400, 'Bad Request: chat not found');
    const type: ChatType = id > 0 ? 'private' : id < -1_000_000_000_000 ? 'supergroup' : 'group';
    return ensureChat(type === 'private' ? { id, type, first_name: 'User' } : { id, type, title: 'Group' });
  };

  return {
    bot: options.bot,

    upsertUser(user: FakeUser): FakeUser {
      users.set(user.id, user);
      return user;
    },

    ensureChat(chat: FakeChat): FakeChat {
      return ensureChat(chat).chat;
    },

    knownChat(chatId: number): FakeChat | undefined {
      return chats.get(chatId)?.chat;
    },

    /** The chat a send targets; throws the Bot API's own errors for unknown or blocked chats. */
    chatForSend(chatId: unknown): FakeChat {
      const state = chatFor(chatId);
      if (state.blocked) {
        throw new BotApiError(403, state.chat.type === 'private' ? 'Forbidden: bot was blocked by the user' : 'Forbidden: bot was kicked from the group chat');
      }
      return state.chat;
    },

    setBlocked(chatId: number, blocked: boolean): void {
      chatFor(chatId).blocked = blocked;
    },

    /** Appends a message; `build` gets the new message id. */
    addMessage(chatId: number, build: (messageId: number) => FakeMessage): FakeMessage {
      const state = chatFor(chatId);
      const message = build(state.nextMessageId++);
      state.messages.push({ message, deleted: false });
      return message;
    },

    findMessage(chatId: unknown, messageId: unknown): FakeMessage | undefined {
      const state = chatFor(chatId);
      return state.messages.find((m) => !m.deleted && m.message.message_id === messageId)?.message;
    },

    replaceMessage(message: FakeMessage): void {
      const state = chatFor(message.chat.id);
      const slot = state.messages.find((m) => !m.deleted && m.message.message_id === message.message_id);
      if (slot !== undefined) slot.message = message;
    },

    deleteMessage(chatId: unknown, messageId: unknown): boolean {
      const state = chatFor(chatId);
      const slot = state.messages.find((m) => !m.deleted && m.message.message_id === messageId);
      if (slot === undefined) return false;
      slot.deleted = true;
      return true;
    },

    /** Live messages of a chat, oldest first; `fromBot` keeps only the bot's own. */
    messages(chatId: number, fromBot: boolean): FakeMessage[] {
      const state = chats.get(chatId);
      if (state === undefined) return [];
      return state.messages
        .filter((m) => !m.deleted)
        .map((m) => m.message)
        .filter((m) => !fromBot || isFromBot(m, options.bot.id));
    },

    /** Registers a file and returns `[file_id, StoredFile]`; each call mints a fresh id. */
    addFile(file: Omit<StoredFile, 'fileUniqueId' | 'filePath'>): [string, StoredFile] {
      const fileId = newFileId(file.kind);
      const stored: StoredFile = {
        ...file,
        fileUniqueId: newFileUniqueId(),
        filePath: `${file.kind === 'photo' ? 'photos' : `${file.kind}s`}/file_${files.size}.${extension(file.fileName)}`,
      };
      files.set(fileId, stored);
      return [fileId, stored];
    },

    /** A second `file_id` for the same file (photo sizes share one upload). */
    aliasFile(stored: StoredFile): string {
      const fileId = newFileId(stored.kind);
      files.set(fileId, stored);
      return fileId;
    },

    file(fileId: string): StoredFile | undefined {
      return files.get(fileId);
    },

    fileByPath(filePath: string): StoredFile | undefined {
      for (const f of files.values()) if (f.filePath === filePath) return f;
      return undefined;
    },
  };
}

function isFromBot(message: FakeMessage, botId: number): boolean {
  const from = message['from'];
  return typeof from === 'object' && from !== null && 'id' in from && from.id === botId;
}

function extension(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot > 0 ? fileName.slice(dot + 1) : 'dat';
}

export type Store = ReturnType<typeof createStore>;
