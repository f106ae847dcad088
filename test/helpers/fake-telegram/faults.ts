import { BotApiError, defaultDescription } from './bot-api-error.js';
import type { Params } from './types.js';

export interface FailOptions {
  /** Method to fail; any method except getUpdates when left out. */
  readonly method?: string;
  /** Only calls to this chat. */
  readonly chatId?: number;
  readonly errorCode: number;
  /** Defaults to the Bot API's text for the code (403: "Forbidden: bot was blocked by the user"). */
  readonly description?: string;
  /** Sent as `parameters.retry_after` (seconds). */
  readonly retryAfter?: number;
  /** How many matching calls fail (default 1). */
  readonly times?: number;
}

export interface ResetOptions {
  /**
   * `before` (default): the socket is destroyed before the call is processed, nothing
   * happens. `after`: the call takes effect (a message is sent) and then the answer is lost.
   */
  readonly when?: 'before' | 'after';
  readonly times?: number;
}

interface Fail extends FailOptions {
  remaining: number;
}

interface Reset {
  readonly method: string;
  readonly when: 'before' | 'after';
  remaining: number;
}

/** Queued misbehaviour: `failNext` errors and `resetConnectionNext` socket resets. */
export function createFaults() {
  const fails: Fail[] = [];
  const resets: Reset[] = [];

  return {
    failNext(options: FailOptions): void {
      fails.push({ ...options, remaining: options.times ?? 1 });
    },

    resetNext(method: string, options: ResetOptions = {}): void {
      resets.push({ method, when: options.when ?? 'before', remaining: options.times ?? 1 });
    },

    /** The injected error for this call, if one is queued; consumes one use. */
    takeFail(method: string, params: Params): BotApiError | undefined {
      const fail = fails.find(
        (f) => (f.method === undefined ? method !== 'getUpdates' : f.method === method) && (f.chatId === undefined || f.chatId === params['chat_id']),
      );
      if (fail === undefined) return undefined;
      fail.remaining -= 1;
      if (fail.remaining <= 0) fails.splice(fails.indexOf(fail), 1);
      return new BotApiError(fail.errorCode, fail.description ?? defaultDescription(fail.errorCode, fail.retryAfter), fail.retryAfter);
    },

    /** Whether to reset this call at the given point; consumes one use. */
    takeReset(method: string, when: 'before' | 'after'): boolean {
      const reset = resets.find((r) => r.method === method && r.when === when);
      if (reset === undefined) return false;
      reset.remaining -= 1;
      if (reset.remaining <= 0) resets.splice(resets.indexOf(reset), 1);
      return true;
    },
  };
}
