/**
 * Button actions kept server-side. A Discord `custom_id` holds at most 100 characters and
 * comes back from the client untrusted, so a button carries only `a:<token>` (a modal that
 * asks for a button's missing value: `i:<token>`). The token maps here to what the press
 * runs, in which chat. In memory on purpose: after a restart old buttons answer "expired".
 *
 * Same design as src/telegram/action-store.ts, kept separate because front ends do not
 * import each other; it could move to src/core as a platform-neutral store.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { ButtonAction, ReplyButton } from '../core/reply.js';

export interface StoredAction extends ButtonAction {
  /** Allowlist key of the chat the button was sent to; a press from elsewhere is "expired". */
  chatId: string;
  createdAt: number;
  /** The action still needs a typed value (2FA code): a press opens a modal for it. */
  input?: NonNullable<ReplyButton['input']>;
}

export interface ActionStore {
  /** Stores the action and returns its `custom_id` (≤ 100 characters). */
  put(action: ButtonAction, chatId: string, input?: ReplyButton['input']): string;
  /** The action behind a `custom_id` (`a:` or `i:`), or undefined when unknown, expired or from another chat. */
  get(customId: string, chatId: string): StoredAction | undefined;
  /** The `custom_id` of the modal that asks for the value of the action behind `customId`. */
  modalIdFor(customId: string): string;
  size(): number;
}

export interface ActionStoreOptions {
  clock: Clock;
  /** How long a button works after it was sent; default 24 h. */
  ttlMs?: number;
  /** Most actions kept; the oldest go first. Default 10 000. */
  maxEntries?: number;
  /** Token source; default 9 random bytes in base64url (12 characters). */
  newToken?: () => string;
}

const TOKEN_ID = /^[ai]:([A-Za-z0-9_-]{1,64})$/;

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
      return `a:${token}`;
    },
    get(customId, chatId) {
      const token = TOKEN_ID.exec(customId)?.[1];
      if (token === undefined) return undefined;
      const action = entries.get(token);
      if (action === undefined) return undefined;
      if (options.clock.now() - action.createdAt >= ttlMs) {
        entries.delete(token);
        return undefined;
      }
      return action.chatId === chatId ? action : undefined;
    },
    modalIdFor: (customId) => `i:${customId.slice(2)}`,
    size: () => entries.size,
  };
}
