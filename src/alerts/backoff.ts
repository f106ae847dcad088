/**
 * Delays of the poll scheduler (docs/chat-contract.md F1–F4, property P5). Pure: `random` is injected.
 */
import { BlinkRateLimitError } from '../errors.js';

export interface BackoffPolicy {
  /** The poll period (POLL_INTERVAL_SECONDS), ms. */
  periodMs: number;
  /** Longest failure backoff, ms. Default 30 min. */
  capMs?: number;
  /** Pause after a 429 that carried no usable Retry-After, ms. Default 5 min. */
  rateLimitPauseMs?: number;
}

/** Next regular poll: the period with a jitter of at most a tenth of it (±5 %). */
export function nextPollDelay(periodMs: number, random: () => number): number {
  return Math.round(periodMs + (random() - 0.5) * (periodMs / 10));
}

/**
 * After `failures` consecutive failures (1 = first): full jitter over an exponential
 * window, but never sooner than ~the regular period (no account is polled faster than
 * normal because it fails). A 429 waits at least its Retry-After, or `rateLimitPauseMs`
 * without one, plus up to a tenth of the period of jitter; never 0.
 */
export function failureDelay(error: unknown, failures: number, policy: BackoffPolicy, random: () => number): number {
  const cap = policy.capMs ?? 30 * 60_000;
  const minimum = policy.periodMs * 0.95;
  const window = Math.min(cap, policy.periodMs * 2 ** Math.min(20, Math.max(0, failures)));
  const jittered = Math.max(minimum, random() * window);
  if (error instanceof BlinkRateLimitError) {
    const pause = error.retryAfterMs > 0 ? error.retryAfterMs : (policy.rateLimitPauseMs ?? 5 * 60_000);
    return Math.round(Math.max(pause, minimum) + 1 + random() * (policy.periodMs / 10));
  }
  return Math.round(jittered);
}
