/**
 * grammY's offline test pattern: a real `Bot` (with `botInfo`, so no `getMe`) whose API
 * calls are recorded and answered by a transformer that never calls `prev`, so nothing
 * touches the network. For adapter unit tests that only check which Bot API calls a reply
 * renders to; the fake Bot API server (test/helpers/fake-telegram) stays for end-to-end
 * tests (polling, retries, multipart uploads as Telegram receives them).
 */
import { Bot, InputFile } from 'grammy';
import type { Message } from 'grammy/types';
import { createActionStore } from '../../src/core/action-store.js';
import { systemClock } from '../../src/clock.js';
import { createSilentLogger } from '../../src/log.js';
import { createFileIdCache } from '../../src/telegram/file-id-cache.js';
import { createRenderer, type Renderer } from '../../src/telegram/render.js';
import { botInfoOf } from './harness.js';

export interface ApiCall {
  method: string;
  payload: Record<string, unknown>;
}

const botInfo = botInfoOf({ botInfo: { id: 42, first_name: 'Blink', username: 'blink_test_bot' } });

/** A Bot whose every API call lands in `calls` and is answered with a plausible message. */
function offlineBot(): { bot: Bot; calls: ApiCall[] } {
  const bot = new Bot('42:offline', { botInfo });
  const calls: ApiCall[] = [];
  let nextMessageId = 1;
  // A message as Telegram returns it; uploads come back with a file id, as the renderer caches it.
  const message = (chatId: unknown, method: string): Message => {
    const id = nextMessageId++;
    const base = { message_id: id, date: 0, chat: { id: Number(chatId), type: 'private' as const, first_name: 'User' } };
    const file = { file_id: `file-${id}`, file_unique_id: `u-${id}`, width: 1, height: 1 };
    if (method === 'sendPhoto' || method === 'sendMediaGroup') return { ...base, photo: [file] };
    if (method === 'sendVideo') return { ...base, video: { ...file, duration: 1 } };
    return base;
  };
  bot.api.config.use(async (_prev, method, payload) => {
    const body: Record<string, unknown> = { ...payload };
    calls.push({ method, payload: body });
    const chatId = body['chat_id'];
    const media = body['media'];
    const result =
      method === 'sendMediaGroup' && Array.isArray(media)
        ? media.map(() => message(chatId, method))
        : method.startsWith('send')
          ? message(chatId, method)
          : true;
    // The transformer answers for Telegram; grammY types the result by method.
    return { ok: true, result } as never;
  });
  return { bot, calls };
}

/** The Telegram renderer over an offline Bot, as the front end builds it. */
export function offlineRenderer(uploadLimitBytes = 50 * 1024 * 1024): { renderer: Renderer; calls: ApiCall[] } {
  const { bot, calls } = offlineBot();
  const clock = systemClock;
  const renderer = createRenderer({
    api: bot.api,
    actions: createActionStore({ clock }),
    fileIds: createFileIdCache({}),
    uploadLimitBytes,
    clock,
    log: createSilentLogger(),
  });
  return { renderer, calls };
}

/** The bytes an InputFile would upload (read from its source, as grammY's multipart does). */
export async function bytesOf(file: unknown): Promise<Buffer> {
  if (!(file instanceof InputFile)) throw new Error(`not an upload: ${JSON.stringify(file)}`);
  const raw = await file.toRaw();
  if (raw instanceof Uint8Array) return Buffer.from(raw);
  const chunks: Uint8Array[] = [];
  for await (const chunk of raw) chunks.push(chunk);
  return Buffer.concat(chunks);
}
