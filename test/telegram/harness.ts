/**
 * A Telegram front end wired to the fake Bot API server and a scripted dispatcher.
 * Everything runs on 127.0.0.1 and is closed in `t.after`.
 */
import type { TestContext } from 'node:test';
import type { UserFromGetMe } from 'grammy/types';
import { Readable } from 'node:stream';
import type { Dispatcher, Inbound, Outcome } from '../../src/core/inbound.js';
import type { MediaSource } from '../../src/core/reply.js';
import { createSilentLogger } from '../../src/log.js';
import { createTelegramFrontEnd, type TelegramFrontEnd, type TelegramFrontEndDeps } from '../../src/telegram/front-end.js';
import { z } from 'zod';
import { startFakeTelegram, type FakeTelegram, type RecordedCall } from '../helpers/fake-telegram/index.js';

export interface Harness {
  fake: FakeTelegram;
  frontEnd: TelegramFrontEnd;
  /** Every Inbound the dispatcher saw, in order. */
  inbound: Inbound[];
  fatal: Error[];
}

export type Script = (inbound: Inbound) => Promise<Outcome> | Outcome;

export async function startHarness(
  t: TestContext,
  script: Script,
  overrides: Partial<TelegramFrontEndDeps> = {},
  fakeOptions: Parameters<typeof startFakeTelegram>[0] = {},
): Promise<Harness> {
  const fake = await startFakeTelegram(fakeOptions);
  const inbound: Inbound[] = [];
  const fatal: Error[] = [];
  const dispatcher: Dispatcher = {
    async handle(event) {
      inbound.push(event);
      return script(event);
    },
  };
  const frontEnd = createTelegramFrontEnd({
    token: fake.token,
    apiRoot: fake.apiRoot,
    dispatcher,
    commandMenu: [{ command: 'status', description: 'Cameras and networks' }],
    uploadLimitBytes: 50 * 1024 * 1024,
    log: createSilentLogger(),
    botInfo: botInfoOf(fake),
    retry: { baseDelayMs: 10 },
    throttle: { burst: 50 },
    onFatal: (err) => fatal.push(err),
    ...overrides,
  });
  t.after(async () => {
    await frontEnd.stop();
    await fake.close();
  });
  return { fake, frontEnd, inbound, fatal };
}

/** A MediaSource over fixed bytes that counts how often it was opened. */
export function bytesSource(
  kind: 'photo' | 'video',
  bytes: Buffer,
  extra: Partial<Omit<MediaSource, 'open' | 'kind'>> & { reportSize?: boolean } = {},
): MediaSource & { opens: number } {
  const { reportSize, ...rest } = extra;
  const source = {
    kind,
    filename: kind === 'photo' ? 'snap.jpg' : 'clip.mp4',
    opens: 0,
    ...rest,
    async open() {
      source.opens += 1;
      // Small chunks, so a limit check mid-stream has something to cut.
      const chunks: Buffer[] = [];
      for (let i = 0; i < bytes.length; i += 64 * 1024) chunks.push(bytes.subarray(i, i + 64 * 1024));
      return { stream: Readable.from(chunks), ...(reportSize ? { sizeBytes: bytes.length } : {}) };
    },
  };
  return source;
}

export function pseudoRandomBytes(length: number, seed = 7): Buffer {
  const out = Buffer.alloc(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    out[i] = x >>> 16;
  }
  return out;
}

/** The fake's bot as grammY's `getMe` result, so tests skip that call. */
export function botInfoOf(fake: { botInfo: Pick<FakeTelegram['botInfo'], 'id' | 'first_name' | 'username'> }): UserFromGetMe {
  return {
    id: fake.botInfo.id,
    is_bot: true,
    first_name: fake.botInfo.first_name,
    username: fake.botInfo.username,
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
    has_topics_enabled: false,
    allows_users_to_create_topics: false,
    can_manage_bots: false,
    supports_join_request_queries: false,
  };
}

const SentMessage = z.object({ ok: z.literal(true), result: z.object({ message_id: z.number() }) });
const Keyboard = z.object({
  inline_keyboard: z.array(z.array(z.object({ text: z.string(), callback_data: z.string() }))),
});

/** The message id Telegram answered a send with. */
export function messageIdOf(call: RecordedCall): number {
  return SentMessage.parse(call.response).result.message_id;
}

/** The inline buttons a send carried, row after row. */
export function buttonsOf(call: RecordedCall): { text: string; callback_data: string }[] {
  const markup = call.params['reply_markup'];
  return Keyboard.parse(typeof markup === 'string' ? JSON.parse(markup) : markup).inline_keyboard.flat();
}
