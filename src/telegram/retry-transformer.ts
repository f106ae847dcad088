/**
 * Bounded retries for Bot API calls, as a grammY API transformer. Written here instead of
 * @grammyjs/auto-retry, which has been seen to retry network errors without end (F19).
 *
 * - 429: waits `retry_after` (capped) and repeats the call.
 * - 5xx answers and network errors: backoff and repeat, only where repeating is safe:
 *   idempotent methods, sends that Telegram answered with 5xx (it did not deliver), and
 *   uploads (a reset upload never completed its body; the InputFile supplier re-opens the
 *   media for each attempt, so the same bytes go again from the start).
 * - getUpdates is left to grammY's polling loop, which has its own retry policy.
 * Every attempt counts towards one `maxAttempts`, and no wait may pass the deadline.
 */
import { HttpError, InputFile, type Transformer } from 'grammy';
import type { Clock } from '../clock.js';
import { AppError } from '../errors.js';
import type { Logger } from '../log.js';
import { UploadTooLargeError } from './upload-limit.js';
import { CoverUnavailableError } from './video-cover.js';

export interface RetryOptions {
  /** Attempts per call, the first included; default 3. */
  maxAttempts?: number;
  /** Longest `retry_after` we wait; a longer one is returned to the caller. Default 60 000 ms. */
  maxRetryAfterMs?: number;
  /** First backoff after a 5xx or network error, doubled each time; default 1000 ms. */
  baseDelayMs?: number;
  /** No retry starts later than this after the first attempt; default 90 000 ms. */
  deadlineMs?: number;
}

/** Methods that change nothing when repeated (or whose repeat is harmless). */
const IDEMPOTENT = new Set([
  'getMe',
  'setMyCommands',
  'deleteWebhook',
  'sendChatAction',
  'answerCallbackQuery',
  'deleteMessage',
  'editMessageText',
  'editMessageCaption',
  'editMessageReplyMarkup',
  'getFile',
  'getChat',
]);
/** Calls of the start-up (identity, menu): not retried any more once the front end stops. */
const STARTUP = new Set(['getMe', 'setMyCommands', 'deleteWebhook']);
/** Sends whose 5xx answer means Telegram did not deliver (a network error might have). */
const SENDS = new Set(['sendMessage', 'sendPhoto', 'sendVideo', 'sendDocument', 'sendAnimation', 'sendMediaGroup']);

export function createRetryTransformer(deps: {
  clock: Clock;
  log: Logger;
  options?: RetryOptions;
  random?: () => number;
  /**
   * Aborted when the front end starts to stop: a start-up call still retrying (Telegram
   * unreachable at boot) gives up at once instead of outliving the front end.
   */
  stopSignal?: AbortSignal;
}): Transformer {
  const maxAttempts = deps.options?.maxAttempts ?? 3;
  const maxRetryAfterMs = deps.options?.maxRetryAfterMs ?? 60_000;
  const baseDelayMs = deps.options?.baseDelayMs ?? 1000;
  const deadlineMs = deps.options?.deadlineMs ?? 90_000;
  const random = deps.random ?? Math.random;
  const backoff = (attempt: number): number => Math.round(baseDelayMs * 2 ** (attempt - 1) * (0.5 + random() / 2));

  return async (prev, method, payload, signal) => {
    if (method === 'getUpdates') return prev(method, payload, signal);
    const upload = Object.values(payload).some((value) => value instanceof InputFile);
    const startedAt = deps.clock.now();
    const fitsDeadline = (waitMs: number): boolean => deps.clock.now() + waitMs - startedAt <= deadlineMs;
    const stopped = STARTUP.has(method) ? deps.stopSignal : undefined;
    // Not an HttpError: grammY's own start-up loop retries those without end (bot.init).
    const stopping = (cause?: unknown): AppError => new AppError('stopping', 'the Telegram front end is stopping', { cause });
    if (stopped?.aborted) throw stopping();

    for (let attempt = 1; ; attempt++) {
      let waitMs: number | undefined;
      try {
        const response = await prev(method, payload, signal);
        if (response.ok) return response;
        if (response.error_code === 429) {
          const retryAfterMs = (response.parameters?.retry_after ?? 5) * 1000;
          if (retryAfterMs <= maxRetryAfterMs) waitMs = retryAfterMs;
        } else if (response.error_code >= 500 && (IDEMPOTENT.has(method) || SENDS.has(method))) {
          waitMs = backoff(attempt);
        }
        if (waitMs === undefined || attempt >= maxAttempts || !fitsDeadline(waitMs) || stopped?.aborted) return response;
        deps.log.warn({ method, status: response.error_code, attempt, waitMs }, 'telegram call failed, retrying');
      } catch (err) {
        const retryable =
          err instanceof HttpError &&
          !(err.error instanceof UploadTooLargeError) &&
          !(err.error instanceof CoverUnavailableError) &&
          signal?.aborted !== true &&
          (IDEMPOTENT.has(method) || upload);
        waitMs = backoff(attempt);
        if (stopped?.aborted) throw stopping(err);
        if (!retryable || attempt >= maxAttempts || !fitsDeadline(waitMs)) throw err;
        deps.log.warn({ method, attempt, waitMs, reason: err.message }, 'telegram call failed, retrying');
      }
      await sleepUnlessStopped(deps.clock, waitMs, nativeSignal(signal), stopped);
    }
  };
}

/** The wait between attempts, cut short by the call's own signal or by the front end stopping. */
async function sleepUnlessStopped(clock: Clock, ms: number, signal: AbortSignal | undefined, stopped: AbortSignal | undefined): Promise<void> {
  if (stopped === undefined) return clock.sleep(ms, signal);
  // Not AbortSignal.any: the stop signal lives as long as the front end (docs/performance.md).
  const both = new AbortController();
  const abort = (): void => both.abort(new AppError('stopping', 'the Telegram front end is stopping'));
  if (stopped.aborted || signal?.aborted) abort();
  stopped.addEventListener('abort', abort, { once: true });
  signal?.addEventListener('abort', abort, { once: true });
  try {
    await clock.sleep(ms, both.signal);
  } finally {
    stopped.removeEventListener('abort', abort);
    signal?.removeEventListener('abort', abort);
  }
}

/** grammY types its signals with the abort-controller polyfill; our Clock takes Node's own. */
function nativeSignal(signal: { aborted: boolean; addEventListener(type: 'abort', listener: () => void): void } | undefined): AbortSignal | undefined {
  if (signal === undefined || signal instanceof AbortSignal) return signal;
  const controller = new AbortController();
  if (signal.aborted) controller.abort();
  else signal.addEventListener('abort', () => controller.abort());
  return controller.signal;
}
