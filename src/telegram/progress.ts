/**
 * The core's Progress port for one Telegram chat: `update` sends a "working…" message the
 * first time and edits it after; `action` keeps a chat action alive until the reply is out.
 * Progress is a courtesy: its failures are logged at debug level and never fail the command.
 */
import { GrammyError, type Api } from 'grammy';
import type { Clock } from '../clock.js';
import type { Progress } from '../core/reply.js';
import type { Logger } from '../log.js';
import { keepChatAction, type ChatActionKind } from './chat-action.js';
import { grammySignal } from './grammy-signal.js';
import { escapeAndSplit } from './html.js';

export interface ChatProgress extends Progress {
  /** The working message, if `update` created one (the final reply may edit it). */
  workingMessageId(): number | undefined;
  /** Waits for pending sends/edits, then stops any chat action. Call before the final reply. */
  finish(): Promise<void>;
}

/** `deps.signal` is the bot's shutdown: it aborts progress sends in flight and the chat action. */
export function createChatProgress(
  deps: { api: Api; clock: Clock; log: Logger; signal?: AbortSignal | undefined },
  chatId: number,
  silent: boolean,
): ChatProgress {
  let messageId: number | undefined;
  let lastText: string | undefined;
  let queue: Promise<void> = Promise.resolve();
  let stopAction: (() => void) | undefined;
  let actionKind: ChatActionKind | undefined;
  let finished = false;

  const show = async (text: string): Promise<void> => {
    const html = escapeAndSplit(text)[0] ?? '';
    if (html === lastText || finished || deps.signal?.aborted) return;
    if (messageId === undefined) {
      const message = await deps.api.sendMessage(
        chatId,
        html,
        { parse_mode: 'HTML', ...(silent ? { disable_notification: true } : {}) },
        grammySignal(deps.signal),
      );
      messageId = message.message_id;
    } else {
      await deps.api.editMessageText(chatId, messageId, html, { parse_mode: 'HTML' }, grammySignal(deps.signal));
    }
    lastText = html;
  };

  return {
    update(text) {
      // Chained so edits land in call order even when the caller does not await them.
      queue = queue
        .then(() => show(text))
        .catch((err: unknown) => {
          deps.log.debug({ chatId, reason: err instanceof GrammyError ? err.description : String(err) }, 'progress update failed');
        });
      return queue;
    },
    action(kind) {
      if (finished || kind === actionKind) return;
      stopAction?.();
      actionKind = kind;
      stopAction = keepChatAction(deps, chatId, kind);
    },
    workingMessageId: () => messageId,
    async finish() {
      await queue;
      finished = true;
      stopAction?.();
      stopAction = undefined;
    },
  };
}
