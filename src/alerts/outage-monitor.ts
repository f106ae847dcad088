/**
 * Global Blink outage (docs/chat-contract.md F34): when Blink is unreachable (network errors, 5xx) for many
 * linked accounts at once, the operators get one notice and one recovery notice, and the
 * owners are not told one by one. Pure: the scheduler feeds it counts and the time.
 */
import { BlinkApiError, BlinkNetworkError, BlinkRateLimitError } from '../errors.js';

/** Failures that say "Blink is down", not "this account has a problem". */
export function isUnreachable(error: unknown): boolean {
  if (error instanceof BlinkNetworkError) return true;
  return error instanceof BlinkApiError && !(error instanceof BlinkRateLimitError) && error.status >= 500;
}

export interface OutageRules {
  /** Fewer linked sessions than this: global only when every one of them fails. Default 4. */
  fewBelow?: number;
  /** With more: at least this share must fail. Default 0.5. */
  share?: number;
  /** Below this many sessions there is no global outage (one account is one owner's business). Default 2. */
  minSessions?: number;
}

/** How many failing sessions make a global outage among `total`; Infinity when none can. */
export function outageThreshold(total: number, rules: OutageRules = {}): number {
  if (total < (rules.minSessions ?? 2)) return Number.POSITIVE_INFINITY;
  if (total < (rules.fewBelow ?? 4)) return total;
  return Math.ceil(total * (rules.share ?? 0.5));
}

export type OutageStep = { kind: 'started'; since: number; failing: number; total: number } | { kind: 'ended'; since: number } | undefined;

/**
 * The outage state machine: it starts when enough sessions have failed for `notifyAfterMs`
 * (`failingLong`), and ends once fewer than the threshold fail at all (`failingNow`).
 */
export function createOutageMonitor(rules: OutageRules = {}) {
  let since: number | null = null;
  return {
    active: (): boolean => since !== null,
    /** True while enough sessions fail right now that a per-owner "Blink down" notice should wait. */
    likelyGlobal(failingNow: number, total: number): boolean {
      return since !== null || failingNow >= outageThreshold(total, rules);
    },
    update(now: number, counts: { failingNow: number; failingLong: number; total: number }): OutageStep {
      const threshold = outageThreshold(counts.total, rules);
      if (since === null && counts.failingLong >= threshold) {
        since = now;
        return { kind: 'started', since, failing: counts.failingLong, total: counts.total };
      }
      if (since !== null && counts.failingNow < threshold) {
        const started = since;
        since = null;
        return { kind: 'ended', since: started };
      }
      return undefined;
    },
  };
}
