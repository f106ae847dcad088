/**
 * A Telegram chat action ("sending video…") lasts about 5 s, so a long upload needs it
 * repeated. This keeps one alive every 4 s until stopped. Failures are only logged: the
 * indicator is a courtesy and must never fail the reply it decorates.
 */
import type { Api } from 'grammy';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';

export type ChatActionKind = 'typing' | 'upload_photo' | 'upload_video' | 'record_video';

export const CHAT_ACTION_REPEAT_MS = 4000;

/** Sends `kind` now and every 4 s; the returned function stops it (idempotent). */
export function keepChatAction(deps: { api: Api; clock: Clock; log: Logger }, chatId: number, kind: ChatActionKind): () => void {
  const controller = new AbortController();
  const send = (): void => {
    deps.api.sendChatAction(chatId, kind).catch((err: unknown) => {
      deps.log.debug({ err, chatId, kind }, 'chat action failed');
    });
  };
  const loop = async (): Promise<void> => {
    while (!controller.signal.aborted) {
      send();
      await deps.clock.sleep(CHAT_ACTION_REPEAT_MS, controller.signal);
    }
  };
  loop().catch(() => undefined); // ends only by abort
  return () => controller.abort();
}
