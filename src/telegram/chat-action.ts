/**
 * A Telegram chat action ("sending video…") lasts about 5 s, so a long upload needs it
 * repeated. This keeps one alive every 4 s until stopped. Failures are only logged: the
 * indicator is a courtesy and must never fail the reply it decorates.
 */
import type { Api } from 'grammy';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import { grammySignal } from './grammy-signal.js';

export type ChatActionKind = 'typing' | 'upload_photo' | 'upload_video' | 'record_video';

const CHAT_ACTION_REPEAT_MS = 4000;

/**
 * Sends `kind` now and every 4 s; the returned function stops it (idempotent). `signal`
 * (the bot's shutdown) stops it too, and aborts a send in flight.
 */
export function keepChatAction(
  deps: { api: Api; clock: Clock; log: Logger; signal?: AbortSignal | undefined },
  chatId: number,
  kind: ChatActionKind,
): () => void {
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  deps.signal?.addEventListener('abort', stop, { once: true });
  if (deps.signal?.aborted) stop();
  const send = (): void => {
    deps.api.sendChatAction(chatId, kind, {}, grammySignal(controller.signal)).catch((err: unknown) => {
      deps.log.debug({ err, chatId, kind }, 'chat action failed');
    });
  };
  const loop = async (): Promise<void> => {
    while (!controller.signal.aborted) {
      send();
      await deps.clock.sleep(CHAT_ACTION_REPEAT_MS, controller.signal);
    }
  };
  loop()
    .catch(() => undefined) // ends only by abort
    .finally(() => deps.signal?.removeEventListener('abort', stop));
  return stop;
}
