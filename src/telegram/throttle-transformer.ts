/**
 * Keeps outgoing messages within Telegram's limits (about 1 message/s in a chat, 20/min in
 * a group, 30/s overall) with one Bottleneck queue per chat chained to a global one. A
 * chat's queue runs one call at a time, so messages keep their order, and it sits outside
 * the retry transformer: a call waiting out a 429 keeps its place in line (F18).
 */
import Bottleneck from 'bottleneck';
import type { Transformer } from 'grammy';
import { z } from 'zod';

export interface ThrottleOptions {
  /** Messages a chat may get at once before the rate applies; default 3. */
  burst?: number;
  /** One more message per this many ms in a private chat; default 1000. */
  privateIntervalMs?: number;
  /** One more message per this many ms in a group (20/min); default 3000. */
  groupIntervalMs?: number;
  /** Messages per second over all chats; default 30. */
  globalPerSecond?: number;
}

/** Methods that post or edit a message in a chat (chat actions and callback answers are free). */
const THROTTLED = new Set([
  'sendMessage',
  'sendPhoto',
  'sendVideo',
  'sendDocument',
  'sendAnimation',
  'sendMediaGroup',
  'copyMessage',
  'forwardMessage',
  'editMessageText',
  'editMessageCaption',
  'editMessageReplyMarkup',
]);

const ChatTarget = z.object({ chat_id: z.union([z.number(), z.string()]) });

export interface Throttle {
  transformer: Transformer;
  /** Drops the per-chat limiters and their timers. */
  close(): Promise<void>;
}

export function createThrottle(options: ThrottleOptions = {}): Throttle {
  const burst = options.burst ?? 3;
  const globalPerSecond = options.globalPerSecond ?? 30;
  const global = new Bottleneck({
    reservoir: globalPerSecond,
    reservoirRefreshAmount: globalPerSecond,
    reservoirRefreshInterval: 1000,
  });
  const perChat = (intervalMs: number): Bottleneck.Group => {
    const group = new Bottleneck.Group({
      maxConcurrent: 1,
      reservoir: burst,
      reservoirIncreaseAmount: 1,
      reservoirIncreaseInterval: intervalMs,
      reservoirIncreaseMaximum: burst,
      // An idle chat's limiter is dropped after 10 min (its burst is full again by then).
      timeout: 10 * 60 * 1000,
    });
    group.on('created', (limiter) => {
      limiter.chain(global);
    });
    return group;
  };
  const privateChats = perChat(options.privateIntervalMs ?? 1000);
  const groupChats = perChat(options.groupIntervalMs ?? 3000);

  const transformer: Transformer = (prev, method, payload, signal) => {
    if (!THROTTLED.has(method)) return prev(method, payload, signal);
    const target = ChatTarget.safeParse(payload);
    if (!target.success) return prev(method, payload, signal);
    const chatId = String(target.data.chat_id);
    // Negative ids are groups and supergroups; '@name' strings are channels.
    const group = chatId.startsWith('-') || chatId.startsWith('@') ? groupChats : privateChats;
    return group.key(chatId).schedule(() => prev(method, payload, signal));
  };

  return {
    transformer,
    async close() {
      for (const group of [privateChats, groupChats]) {
        await Promise.all(group.keys().map((key) => group.deleteKey(key)));
        await group.disconnect(false);
      }
      await global.disconnect(false);
    },
  };
}
