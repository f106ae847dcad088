/**
 * The ChatSender port (src/core/sender.ts) for Telegram: unprompted messages such as motion
 * alerts. Every failure comes out as a DeliveryError saying whether to stop, fall back or
 * try later; retries within one call are the API transformer's (bounded) business.
 */
import type { ChatSender } from '../core/sender.js';
import { DeliveryError } from '../core/sender.js';
import { toDeliveryError } from './delivery-error.js';
import { telegramChatId } from './map-update.js';
import type { Renderer } from './render.js';

export function createTelegramSender(deps: { renderer: Renderer; uploadLimitBytes: number }): ChatSender {
  return {
    platform: 'tg',
    uploadLimitBytes: deps.uploadLimitBytes,
    async send(chatKey, reply, options) {
      const chatId = telegramChatId(chatKey);
      if (chatId === undefined) throw new DeliveryError('chat-gone', `not a Telegram chat: ${chatKey}`);
      try {
        return await deps.renderer.render(chatId, reply, options?.signal ? { signal: options.signal } : {});
      } catch (err) {
        throw toDeliveryError(err);
      }
    },
  };
}
