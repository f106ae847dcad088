/**
 * The Telegram front end: grammY long polling in, rendered Replies out, and the ChatSender
 * port for alerts. The sender shares the API (retries, throttle) but not the update loop,
 * so alerts keep flowing while getUpdates cannot reach Telegram (F23).
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { Bot, GrammyError, type Transformer } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import { settleWithin, systemClock, type Clock } from '../clock.js';
import type { Dispatcher } from '../core/inbound.js';
import type { FatalHandler, FrontEnd } from '../core/front-end.js';
import type { Logger } from '../log.js';
import { createActionStore } from '../core/action-store.js';
import { createFileIdCache } from './file-id-cache.js';
import { createRenderer } from './render.js';
import { createRetryTransformer, type RetryOptions } from './retry-transformer.js';
import { createTelegramSender } from './sender.js';
import { createThrottle, type ThrottleOptions } from './throttle-transformer.js';
import { describeError, installUpdateHandlers } from './update-handlers.js';

/** One entry of Telegram's command menu (generated from the command registry). */
interface CommandMenuEntry {
  command: string;
  description: string;
}

export interface TelegramFrontEndDeps {
  token: string;
  /** Bot API root without a trailing slash, e.g. `https://api.telegram.org`. */
  apiRoot: string;
  dispatcher: Dispatcher;
  /** Set with `setMyCommands` once per start. */
  commandMenu: readonly CommandMenuEntry[];
  /** Largest upload in bytes (TELEGRAM_UPLOAD_LIMIT_MB × 2^20); larger media gets its fallback. */
  uploadLimitBytes: number;
  log: Logger;
  /** Default the system clock. */
  clock?: Clock;
  /** Skips `getMe` at start (tests). */
  botInfo?: UserFromGetMe;
  /** A stored Telegram file id for a MediaSource.cacheKey (re-send without a download). */
  fileIdFor?: (cacheKey: string) => string | undefined;
  /** Called with each new file id, to persist it. */
  onFileId?: (cacheKey: string, fileId: string) => void;
  /**
   * The update loop cannot go on: 409 Conflict (another instance polls this token, or a
   * webhook is set) or 401 (bad token). Told once; the app stops and exits non-zero, so the
   * supervisor restarts it; never a spin loop (F22). The front end never exits the process.
   */
  onFatal?: FatalHandler;
  retry?: RetryOptions;
  /** Outgoing rate limits; `false` turns them off (tests that send many messages). */
  throttle?: ThrottleOptions | false;
  /** Button lifetime, default 24 h. */
  buttonTtlMs?: number;
  /** How long `stop` lets running commands and sends finish; default 10 000 ms (F29). */
  drainMs?: number;
  /** Long-poll timeout in seconds; default 30. */
  pollTimeoutSeconds?: number;
}

/**
 * The FrontEnd lifecycle (core/front-end.ts). `start` sets the command menu and starts long
 * polling; it resolves once polling runs (after `getMe`, which grammY retries while Telegram is
 * unreachable), and rejects, after calling `onFatal`, when Telegram refuses the bot. `stop`
 * stops polling (confirming the update offset), waits up to `drainMs` for running work, then
 * aborts it. `connected` is true while the last getUpdates call succeeded; `sender` works
 * without `start` (alerts).
 */
export type TelegramFrontEnd = FrontEnd;

export function createTelegramFrontEnd(deps: TelegramFrontEndDeps): TelegramFrontEnd {
  const clock = deps.clock ?? systemClock;
  const { log } = deps;
  const drainMs = deps.drainMs ?? 10_000;
  // Our own agent, so `stop` can close its keep-alive sockets and leave no handles behind.
  const agent = deps.apiRoot.startsWith('https:') ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
  const bot = new Bot(deps.token, {
    client: { apiRoot: deps.apiRoot, baseFetchConfig: { agent } },
    ...(deps.botInfo ? { botInfo: deps.botInfo } : {}),
  });

  let isConnected = false;
  const connectionWatch: Transformer = async (prev, method, payload, signal) => {
    if (method !== 'getUpdates') return prev(method, payload, signal);
    try {
      const response = await prev(method, payload, signal);
      isConnected = response.ok;
      return response;
    } catch (err) {
      if (signal?.aborted !== true) isConnected = false;
      throw err;
    }
  };
  const throttle = deps.throttle === false ? undefined : createThrottle(deps.throttle);
  // The last one installed runs first: throttle → retry → connection watch → HTTP.
  const stopRequested = new AbortController();
  bot.api.config.use(connectionWatch, createRetryTransformer({ clock, log, stopSignal: stopRequested.signal, ...(deps.retry ? { options: deps.retry } : {}) }));
  if (throttle) bot.api.config.use(throttle.transformer);

  const actions = createActionStore({ clock, ...(deps.buttonTtlMs !== undefined ? { ttlMs: deps.buttonTtlMs } : {}) });
  const fileIds = createFileIdCache({
    ...(deps.fileIdFor ? { lookup: deps.fileIdFor } : {}),
    ...(deps.onFileId ? { onStore: deps.onFileId } : {}),
  });
  const renderer = createRenderer({ api: bot.api, actions, fileIds, uploadLimitBytes: deps.uploadLimitBytes, clock, log });
  const shutdown = new AbortController();
  const handlers = installUpdateHandlers(bot, { dispatcher: deps.dispatcher, renderer, actions, clock, log, signal: shutdown.signal });
  const onFatal: FatalHandler = deps.onFatal ?? ((): void => undefined);

  let started = false;
  let polling: Promise<void> | undefined;
  let stopping: Promise<void> | undefined;

  const fatal = (err: unknown): Error => {
    const error = err instanceof Error ? err : new Error(String(err));
    if (err instanceof GrammyError && err.error_code === 409) {
      log.fatal(
        { status: 409, description: err.description },
        'Telegram getUpdates conflict: another instance of this bot is polling with the same token, or a webhook is set; exiting',
      );
    } else if (err instanceof GrammyError && err.error_code === 401) {
      log.fatal({ status: 401 }, 'Telegram refused the bot token (401 Unauthorized); check TELEGRAM_BOT_TOKEN; exiting');
    } else {
      log.fatal({ err: describeError(err) }, 'Telegram polling stopped unexpectedly; exiting');
    }
    onFatal(error);
    return error;
  };

  const within = (done: Promise<unknown>, ms: number): Promise<void> => settleWithin(clock, done, ms);

  const stop = (): Promise<void> => {
    stopRequested.abort();
    stopping ??= (async () => {
      // Stop fetching updates first; bot.stop() confirms the offset so nothing is re-run.
      if (polling) {
        await within(
          bot.stop().catch((err: unknown) => log.debug({ err: describeError(err) }, 'bot.stop failed')),
          5000,
        );
      }
      await within(handlers.drain(), drainMs);
      shutdown.abort();
      await within(handlers.drain(), 1000);
      await throttle?.close();
      agent.destroy();
      isConnected = false;
      log.info({ unfinished: handlers.pending() }, 'Telegram front end stopped');
    })();
    return stopping;
  };

  const setMenu = async (): Promise<void> => {
    try {
      await bot.api.setMyCommands(deps.commandMenu.map((entry) => ({ command: entry.command, description: entry.description })));
    } catch (err) {
      log.warn({ err: describeError(err) }, 'could not set the Telegram command menu');
    }
  };

  return {
    sender: createTelegramSender({ renderer, uploadLimitBytes: deps.uploadLimitBytes }),
    connected: () => isConnected,
    stop,
    name: 'telegram',
    start() {
      if (started) return Promise.reject(new Error('the Telegram front end was already started'));
      started = true;
      void setMenu();
      return new Promise<void>((resolve, reject) => {
        polling = bot
          .start({
            allowed_updates: ['message', 'callback_query'],
            timeout: deps.pollTimeoutSeconds ?? 30,
            onStart: (me) => {
              log.info({ bot: me.username }, 'Telegram polling started');
              resolve();
            },
          })
          .then(
            () => resolve(),
            (err: unknown) => {
              // A rejection after stop() is the aborted poll, not a failure.
              if (stopping) return resolve();
              reject(fatal(err));
            },
          );
      });
    },
  };
}
