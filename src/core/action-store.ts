/**
 * Button actions kept server-side, for every front end. A button carries only a short random
 * token (Telegram's `callback_data` holds 64 bytes, Discord's `custom_id` 100 characters, and
 * whatever a client sends back is untrusted); the token maps here to what the press runs, in
 * which chat. In memory on purpose: after a restart old buttons answer "expired", which is
 * the honest answer.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { ButtonAction, ReplyButton } from './reply.js';

/** What a token stands for. */
interface StoredAction extends ButtonAction {
  /** The chat the button was sent to (front-end key); a press from elsewhere is treated as expired. */
  chatId: string;
  createdAt: number;
  /** The action still needs a typed value (2FA code): pressing asks for it instead of running. */
  input?: NonNullable<ReplyButton['input']>;
}

export interface ActionStore {
  /** Stores the action and returns its token: at most 12 characters of [A-Za-z0-9_-]. */
  put(action: ButtonAction, chatId: string, input?: ReplyButton['input']): string;
  /** The action behind `token`, or undefined when unknown, expired or pressed from another chat. */
  get(token: string, chatId: string): StoredAction | undefined;
  /** Single-press guard: true when no press of `token` is running; it then counts as running until `release`. */
  claim(token: string): boolean;
  release(token: string): void;
  size(): number;
}

export interface ActionStoreOptions {
  clock: Clock;
  /** How long a button works after it was sent; default 24 h. */
  ttlMs?: number;
  /** Most tokens kept; the oldest go first. Default 10 000 (a few MB at most). */
  maxEntries?: number;
  /**
   * Most tokens per user in a chat (ButtonAction.requestedBy; buttons of alerts count as one
   * user of their chat); that user's oldest go first, so one user asking for button after
   * button, even in a shared group, cannot expire everyone else's. Default 300.
   */
  maxPerUser?: number;
  /** Token source; default 9 random bytes in base64url (12 characters). */
  newToken?: () => string;
}

export const MAX_TOKEN_LENGTH = 12;
const TOKEN = /^[A-Za-z0-9_-]{1,12}$/;

export function createActionStore(options: ActionStoreOptions): ActionStore {
  const ttlMs = options.ttlMs ?? 24 * 60 * 60 * 1000;
  const maxEntries = options.maxEntries ?? 10_000;
  const newToken = options.newToken ?? ((): string => randomBytes(9).toString('base64url'));
  // A Map iterates in insertion order, so the first key is always the oldest.
  const entries = new Map<string, StoredAction>();
  const running = new Set<string>();
  const maxPerUser = options.maxPerUser ?? 300;
  /** Each user's tokens per chat, oldest first. */
  const byUser = new Map<string, Set<string>>();
  const userKey = (chatId: string, requestedBy: string | undefined): string => `${chatId} ${requestedBy ?? ''}`;

  const drop = (token: string): void => {
    const action = entries.get(token);
    if (!action) return;
    entries.delete(token);
    const key = userKey(action.chatId, action.requestedBy);
    const own = byUser.get(key);
    own?.delete(token);
    if (own?.size === 0) byUser.delete(key);
  };

  const evict = (key: string): void => {
    const own = byUser.get(key);
    if (own)
      for (const token of own) {
        if (own.size <= maxPerUser) break;
        drop(token);
      }
    const now = options.clock.now();
    for (const [token, action] of entries) {
      if (entries.size <= maxEntries && now - action.createdAt < ttlMs) break;
      drop(token);
    }
  };

  return {
    put(action, chatId, input) {
      let token = newToken();
      if (!TOKEN.test(token)) throw new RangeError(`action token must match ${TOKEN.source}`);
      while (entries.has(token)) token = newToken();
      entries.set(token, {
        command: action.command,
        args: { ...action.args },
        chatId,
        createdAt: options.clock.now(),
        ...(action.requestedBy !== undefined ? { requestedBy: action.requestedBy } : {}),
        ...(input ? { input } : {}),
      });
      const key = userKey(chatId, action.requestedBy);
      const own = byUser.get(key) ?? new Set<string>();
      own.add(token);
      byUser.set(key, own);
      evict(key);
      return token;
    },
    get(token, chatId) {
      const action = entries.get(token);
      if (action === undefined) return undefined;
      if (options.clock.now() - action.createdAt >= ttlMs) {
        drop(token);
        return undefined;
      }
      return action.chatId === chatId ? action : undefined;
    },
    claim(token) {
      if (running.has(token)) return false;
      running.add(token);
      return true;
    },
    release: (token) => void running.delete(token),
    size: () => entries.size,
  };
}
