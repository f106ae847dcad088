/** The numbers of the Blink HTTP layer (limits, retries, time-outs), each with its default. */
/** Every number has a default; tests shrink them. */
export interface BlinkLimits {
  /**
   * Global cap across all accounts, requests per second. Default 250: 10,000 accounts polled
   * every 60 s need ~185/s (one request each, plus an inventory read every 10 min), and the
   * cap is enforced as a minimum gap (1000/cap ms) between any two requests, so a low cap
   * also delays every alert's download behind the change check (bench/README).
   */
  globalPerSecond?: number;
  /**
   * Global slow-down (F3): 429s from `slowdownMinAccounts` (2) distinct accounts within
   * `slowdownWindowMs` (60 s) halve the global rate, down to `slowdownFloorPerSecond`
   * (default globalPerSecond / 8, at least 1); each `slowdownQuietMs` (5 min) without a 429
   * doubles it back, up to globalPerSecond. Per-account pauses are unaffected.
   */
  slowdownWindowMs?: number;
  slowdownMinAccounts?: number;
  slowdownFloorPerSecond?: number;
  slowdownQuietMs?: number;
  /** Concurrent requests per account. Default 1. */
  perAccountConcurrency?: number;
  /** Minimum gap between two requests of one account, ms. Default 250. */
  perAccountMinTimeMs?: number;
  /** A per-account limiter unused this long is dropped, ms. Default 60 s. */
  idleReleaseMs?: number;
  /** Attempts for idempotent requests (5xx, resets, time-outs). Default 3. */
  maxAttempts?: number;
  /** Backoff base and cap, ms. Defaults 500 and 8000. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** A Retry-After up to this long is waited for; longer ones raise. Default 10 s. */
  maxRetryAfterWaitMs?: number;
  /** Pause after a 429 without Retry-After, ms. Default 5 min (docs/chat-contract.md F4). */
  defaultRateLimitPauseMs?: number;
  /** Pause of token requests after 429/5xx on /oauth/token, ms. Default 15 min (docs/chat-contract.md F5). */
  tokenFailurePauseMs?: number;
  /** Clip bodies below this many bytes are rejected. Default 1024. */
  minMediaBytes?: number;
  /** Image bodies below this many bytes are rejected (a JPEG signature is checked too). Default 128. */
  minImageBytes?: number;
}

export interface BlinkTimeouts {
  /** API calls, whole request. Default 10 s. */
  apiMs?: number;
  /** Media downloads, whole body. Default 90 s. */
  mediaMs?: number;
  /** Keep-alive of idle connections; longer than the poll period. Default 120 s. */
  keepAliveMs?: number;
}

export type ResolvedLimits = Required<BlinkLimits>;
export type ResolvedTimeouts = Required<BlinkTimeouts>;

export function resolveLimits(l: BlinkLimits = {}): ResolvedLimits {
  const globalPerSecond = l.globalPerSecond ?? 250;
  return {
    globalPerSecond,
    slowdownWindowMs: l.slowdownWindowMs ?? 60_000,
    slowdownMinAccounts: l.slowdownMinAccounts ?? 2,
    slowdownFloorPerSecond: l.slowdownFloorPerSecond ?? Math.max(1, globalPerSecond / 8),
    slowdownQuietMs: l.slowdownQuietMs ?? 5 * 60_000,
    perAccountConcurrency: l.perAccountConcurrency ?? 1,
    perAccountMinTimeMs: l.perAccountMinTimeMs ?? 250,
    idleReleaseMs: l.idleReleaseMs ?? 60_000,
    maxAttempts: l.maxAttempts ?? 3,
    backoffBaseMs: l.backoffBaseMs ?? 500,
    backoffMaxMs: l.backoffMaxMs ?? 8000,
    maxRetryAfterWaitMs: l.maxRetryAfterWaitMs ?? 10_000,
    defaultRateLimitPauseMs: l.defaultRateLimitPauseMs ?? 5 * 60_000,
    tokenFailurePauseMs: l.tokenFailurePauseMs ?? 15 * 60_000,
    minMediaBytes: l.minMediaBytes ?? 1024,
    minImageBytes: l.minImageBytes ?? 128,
  };
}

export function resolveTimeouts(t: BlinkTimeouts = {}): ResolvedTimeouts {
  return { apiMs: t.apiMs ?? 10_000, mediaMs: t.mediaMs ?? 90_000, keepAliveMs: t.keepAliveMs ?? 120_000 };
}
