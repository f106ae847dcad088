/**
 * Button actions kept server-side. Telegram's `callback_data` holds at most 64 bytes, far
 * too little for a command and its arguments, and anything in it comes back from the client
 * untrusted. So a button carries only `a:<token>`: a short random token that maps here to
 * what the press should run, in which chat. In memory on purpose: after a restart old
 * buttons answer "expired", which is the honest answer.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { ButtonAction, ReplyButton } from '../core/reply.js';

/** What a token stands for. */
export interface StoredAction extends ButtonAction {
  /** Telegram chat id the button was sent to; a press from elsewhere is treated as expired. */
  chatId: number;
  createdAt: number;
  /** The action still needs a typed value (2FA code): pressing only explains how. */
  input?: NonNullable<ReplyButton['input']>;
}

export interface ActionStore {
  /** Stores the action and returns the `callback_data` for its button (≤ 64 bytes). */
  put(action: ButtonAction, chatId: number, input?: ReplyButton['input']): string;
  /** The action behind `callback_data`, or undefined when unknown, expired or from another chat. */
  get(callbackData: string, chatId: number): { token: string; action: StoredAction } | undefined;
  size(): number;
}

export interface ActionStoreOptions {
  clock: Clock;
  /** How long a button works after it was sent; default 24 h. */
  ttlMs?: number;
  /** Most tokens kept; the oldest go first. Default 10 000 (a few MB at most). */
  maxEntries?: number;
  /** Token source; default 9 random bytes in base64url (12 characters). */
  newToken?: () => string;
}

const PREFIX = 'a:';

export function createActionStore(options: ActionStoreOptions): ActionStore {
  const ttlMs = options.ttlMs ?? 24 * 60 * 60 * 1000;
  const maxEntries = options.maxEntries ?? 10_000;
  const newToken = options.newToken ?? ((): string => randomBytes(9).toString('base64url'));
  // A Map iterates in insertion order, so the first key is always the oldest.
  const entries = new Map<string, StoredAction>();

  const evict = (): void => {
    const now = options.clock.now();
    for (const [token, action] of entries) {
      if (entries.size <= maxEntries && now - action.createdAt < ttlMs) break;
      entries.delete(token);
    }
  };

  return {
    put(action, chatId, input) {
      let token = newToken();
      while (entries.has(token)) token = newToken();
      entries.set(token, {
        command: action.command,
        args: { ...action.args },
        chatId,
        createdAt: options.clock.now(),
        ...(input ? { input } : {}),
      });
      evict();
      return PREFIX + token;
    },
    get(callbackData, chatId) {
      if (!callbackData.startsWith(PREFIX)) return undefined;
      const token = callbackData.slice(PREFIX.length);
      const action = entries.get(token);
      if (action === undefined) return undefined;
      if (options.clock.now() - action.createdAt >= ttlMs) {
        entries.delete(token);
        return undefined;
      }
      if (action.chatId !== chatId) return undefined;
      return { token, action };
    },
    size: () => entries.size,
  };
}
