/**
 * What a front end hands the core: one platform-neutral event. Front ends translate their
 * updates into this; the core never sees a grammY or discord.js object.
 */
import type { Progress, Reply } from './reply.js';

/** 'cli': the command-line tool's own private chat (blink-bot status, arm, motion, snap). */
export type Platform = 'tg' | 'dc' | 'term' | 'cli';

export interface ChatContext {
  /** Allowlist key, e.g. 'tg:-100123', 'dc:<channel id>'. */
  id: string;
  platform: Platform;
  /** Private chat (Telegram private, Discord DM, terminal) or a group/channel. */
  kind: 'private' | 'group';
  /**
   * Other allowlist keys that also admit this chat (Discord: the guild 'dc:<guild>' and,
   * in a DM, the user 'dc:<user>'). The chat is served if any of id/aliases is allowed.
   */
  aliases?: string[];
}

export interface Caller {
  /** 'tg:<user id>', 'dc:<user id>', 'term:local'. */
  id: string;
  displayName?: string;
}

export type InboundEvent =
  /** `/name rest of line` (Telegram, terminal) or a slash command with options (Discord). */
  | {
      type: 'command';
      name: string;
      text?: string;
      options?: Record<string, string>;
      /**
       * The message exactly as typed (Telegram, terminal). While a login waits for the
       * password or the code, this is the value, whatever it looks like (e.g. `/Secret123`).
       */
      raw?: string;
    }
  /** A plain message (answers to a login prompt, 2FA code). */
  | { type: 'text'; text: string }
  /** A button press; `token` is what the front end stored for it (see ActionStore). */
  | {
      type: 'button';
      command: string;
      args: Record<string, string>;
      /** The pressed button's identity (its action token): a control button acts once. */
      pressId?: string;
    };

export interface Inbound {
  chat: ChatContext;
  caller: Caller;
  event: InboundEvent;
  progress: Progress;
  signal?: AbortSignal;
  /**
   * Deletes the user's message (it carried a secret) and resolves true when it is gone.
   * Absent where there is no message to delete (Discord forms); then the front end acts on
   * Outcome.deleteInbound instead, if it can.
   */
  deleteMessage?: () => Promise<boolean>;
}

export interface Outcome {
  reply: Reply;
  /** The command failed or was refused; the reply says why (the CLI exits non-zero on it). */
  failed?: boolean;
  /** The inbound message carried a secret (password): the front end deletes it at once. */
  deleteInbound?: boolean;
}

/** The core's single entry point for every front end. */
export interface Dispatcher {
  handle(inbound: Inbound): Promise<Outcome>;
  /**
   * Whether this chat is served for this caller (allowlisted, or an admin): lets a front end
   * drop a stranger's flood before queueing it. Absent: every message is handled.
   */
  admits?(chat: ChatContext, caller: Caller): boolean;
}
