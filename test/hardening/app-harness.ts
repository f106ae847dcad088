/**
 * The whole bot as `main` builds it (createApp), against the Blink simulator and the fake
 * Telegram Bot API on 127.0.0.1:0, with every log line captured at debug level. Used by the
 * fault matrix, the access checks and the secret scan. Blink waits are shortened through
 * createApp's `blink` option (what the demo uses), never through the user-facing config.
 */
import type { TestContext } from 'node:test';
import { bootApp, startHarnessSim, type BootedApp, type HarnessOptions } from './boot-app.js';
import type { BlinkSimulator } from '../../src/simulator/index.js';
import { startFakeTelegram, type FakeTelegram, type RecordedCall } from '../helpers/fake-telegram/index.js';
import { until } from '../helpers/until.js';

export const EMAIL = 'owner@example.com';
export const PASSWORD = 'correct-horse-battery-staple';
export const OWNER = 100_001;
export const ADMIN = 100_002;
export const STRANGER = 100_003;
export const GROUP = -1_001_234_567_890;

export interface AppHarness extends BootedApp {
  sim: BlinkSimulator;
  fake: FakeTelegram;
  /** Sends `text` as `userId` (in `chatId`, default their private chat) and waits for the bot's next message there. */
  say(userId: number, text: string, chatId?: number, timeoutMs?: number): Promise<RecordedCall>;
  /** Sends and returns every bot send/edit in that chat once it has been quiet for 300 ms. */
  command(userId: number, text: string, chatId?: number, timeoutMs?: number): Promise<RecordedCall[]>;
  /** Sends and waits until the update was consumed and the bot went quiet (no reply expected). */
  sayQuietly(userId: number, text: string, chatId?: number): Promise<void>;
  /** /login → email → password in the owner's private chat; resolves on the "logged in" reply. */
  login(userId?: number): Promise<RecordedCall>;
}

const SENDS = new Set(['sendMessage', 'sendPhoto', 'sendVideo', 'editMessageText', 'editMessageCaption', 'sendMediaGroup', 'editMessageMedia']);

function isReplyTo(chatId: number, since: number): (call: RecordedCall) => boolean {
  return (c) => c.seq > since && SENDS.has(c.method) && Number(c.params['chat_id']) === chatId && c.response.ok;
}

export async function startApp(t: TestContext, options: HarnessOptions = {}): Promise<AppHarness> {
  const sim = await startHarnessSim(options);
  const fake = await startFakeTelegram();
  const booted = await bootApp(t, {
    sim,
    frontEndEnv: { TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot },
    allowed: options.allowed ?? [`tg:${OWNER}`, `tg:${GROUP}`],
    admin: `tg:${ADMIN}`,
    options,
    closeFake: () => fake.close(),
  });

  const harness: AppHarness = {
    ...booted,
    sim,
    fake,
    async say(userId, text, chatId = userId, timeoutMs = 15_000) {
      const since = fake.calls.length === 0 ? 0 : (fake.calls[fake.calls.length - 1]?.seq ?? 0);
      fake.sendUserMessage({ userId, chatId, text });
      return fake.waitFor(isReplyTo(chatId, since), { timeoutMs, since });
    },
    async command(userId, text, chatId = userId, timeoutMs = 15_000) {
      const since = fake.calls[fake.calls.length - 1]?.seq ?? 0;
      const first = await harness.say(userId, text, chatId, timeoutMs);
      const match = isReplyTo(chatId, since);
      let count = 0;
      let quietSince = Date.now();
      // A progress line ("Arming Home…") is always followed by an edit with the result. Real
      // time on purpose: the bot answers over a real socket and "quiet for 300 ms" is the end.
      const inProgress = (): boolean => /…$/.test(textOfCall(fake.calls.filter(match).at(-1) ?? first));
      const end = Date.now() + timeoutMs;
      while ((Date.now() - quietSince < 300 || inProgress()) && Date.now() < end) {
        const now = fake.calls.filter(match).length;
        if (now !== count) {
          count = now;
          quietSince = Date.now();
        }
        await new Promise((r) => setTimeout(r, 20));
      }
      const all = fake.calls.filter(match);
      return all.length > 0 ? all : [first];
    },
    async sayQuietly(userId, text, chatId = userId) {
      fake.sendUserMessage({ userId, chatId, text });
      await until(() => fake.pendingUpdates() === 0, `the bot to fetch "${text}"`);
      // Real time on purpose: nothing answers, so there is no event to wait for; the bot
      // talks to the fake server over a real socket, and 150 ms lets a wrong reply arrive.
      await new Promise((r) => setTimeout(r, 150));
    },
    async login(userId = OWNER) {
      await harness.say(userId, '/login');
      await harness.say(userId, EMAIL);
      return harness.say(userId, PASSWORD);
    },
  };
  return harness;
}

/** The text or caption of a call; '' when there is none (or no call), so a match fails. */
export function textOfCall(call: RecordedCall | undefined): string {
  const text = call?.params['text'] ?? call?.params['caption'];
  return typeof text === 'string' ? text : '';
}
