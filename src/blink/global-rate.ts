/**
 * Global slow-down (docs/chat-contract.md F3): one account's 429 is that account's problem (it pauses on
 * its own), but 429s from two or more accounts within a window mean Blink is throttling
 * *us*, so the global rate is halved (down to a floor). After a quiet period without any
 * 429 it doubles back, one step per quiet period, up to the configured rate. Pure: the
 * clock is injected and nothing here touches HTTP; http.ts applies `current()`.
 */
import type { Clock } from '../clock.js';

export interface GlobalRateOptions {
  /** The configured global cap, requests per second. */
  basePerSecond: number;
  /** Never go below this, requests per second. */
  floorPerSecond: number;
  /** 429s from distinct accounts count together within this window, ms. */
  windowMs: number;
  /** Distinct accounts whose 429s trigger a halving. Default 2. */
  minAccounts?: number;
  /** No 429 for this long: one doubling step back towards the base, ms. */
  quietMs: number;
}

export interface GlobalRatePolicy {
  /** Records a 429 answered to `account`; returns the rate to apply now. */
  onRateLimited(account: string): number;
  /** The rate to apply now (moves back up after quiet periods). */
  current(): number;
  readonly basePerSecond: number;
}

export function createGlobalRatePolicy(clock: Clock, options: GlobalRateOptions): GlobalRatePolicy {
  const base = options.basePerSecond;
  const floor = Math.min(base, Math.max(options.floorPerSecond, Number.MIN_VALUE));
  const minAccounts = options.minAccounts ?? 2;
  /** Last 429 per account (ms), pruned to the window. */
  const recent = new Map<string, number>();
  let rate = base;
  let lastLimitedAt = Number.NEGATIVE_INFINITY;
  /** Last halving or doubling; a new step needs a full window / quiet period after it. */
  let lastChangeAt = Number.NEGATIVE_INFINITY;

  function restore(now: number): void {
    while (rate < base) {
      const from = Math.max(lastLimitedAt, lastChangeAt);
      if (now - from < options.quietMs) return;
      rate = Math.min(base, rate * 2);
      lastChangeAt = from + options.quietMs;
    }
  }

  return {
    basePerSecond: base,
    onRateLimited(account) {
      const now = clock.now();
      restore(now);
      lastLimitedAt = now;
      recent.set(account, now);
      for (const [key, at] of recent) if (now - at > options.windowMs) recent.delete(key);
      // One halving per window: a burst of 429s from the same incident halves once.
      if (recent.size >= minAccounts && rate > floor && now - lastChangeAt >= options.windowMs) {
        rate = Math.max(floor, rate / 2);
        lastChangeAt = now;
        recent.clear();
      }
      return rate;
    },
    current() {
      restore(clock.now());
      return rate;
    },
  };
}
