/**
 * createBlinkService: the only factory the rest of the bot calls. Builds one HTTP transport
 * (pool + limiters) and hands out BlinkAccount clients; sessions of one account share one
 * token manager, so refreshes stay single-flight even across clients.
 */
import { randomInt } from 'node:crypto';
import type { Clock } from '../clock.js';
import { createBlinkAccount } from './account.js';
import { createAccountContext, resolveCommandOptions, type CommandOptions } from './context.js';
import type { LiveOptions } from './live/live-view.js';
import { createBlinkHttp, type BlinkLimits, type BlinkLogger, type BlinkTimeouts, type HttpDeps } from './http.js';
import { createHostPolicy } from './hosts.js';
import { startLogin } from './oauth.js';
import { createTokenRefresher, type TokenRefresher } from './token-refresher.js';
import { createDropReporter } from './tolerant-list.js';
import type { BlinkService, BlinkUrls } from './types.js';

export type { BlinkLimits } from './http.js';
export type { CommandOptions } from './context.js';
export type { LiveOptions } from './live/live-view.js';

export interface BlinkServiceDeps {
  urls: BlinkUrls;
  clock: Clock;
  log: BlinkLogger;
  limits?: BlinkLimits;
  timeouts?: BlinkTimeouts;
  /** Command polling, busy retries, snap re-reads, change detection. */
  commands?: CommandOptions;
  /** Refresh this long before the access token expires. Default 10 min. */
  refreshMarginMs?: number;
  /** How long a 2FA attempt stays usable. Default 10 min. */
  twoFactorTtlMs?: number;
  /** Live view: trusted CA and allowed hosts for the immis relay (tests), stream timings. */
  live?: LiveOptions;
  /** [0, 1) source for jitter. */
  random?: () => number;
  /** Each HTTP attempt to Blink, answered (its status) or not (status 0): metrics. */
  onRequest?: HttpDeps['onRequest'];
  /** A Retry-After waited out instead of failing: metrics. */
  onRateLimitWait?: () => void;
}

export interface BlinkServiceExtras {
  /** Per-account limiters currently held (memory checks). */
  limiterCount(): number;
  /** The global Blink rate in force now, requests per second (F3 slow-down). */
  globalPerSecondNow(): number;
}

export function createBlinkService(deps: BlinkServiceDeps): BlinkService & BlinkServiceExtras {
  const random = deps.random ?? (() => randomInt(0, 2 ** 31) / 2 ** 31);
  const http = createBlinkHttp({
    clock: deps.clock,
    hosts: createHostPolicy(deps.urls),
    log: deps.log,
    random,
    limits: deps.limits,
    timeouts: deps.timeouts,
    ...(deps.onRequest ? { onRequest: deps.onRequest } : {}),
    ...(deps.onRateLimitWait ? { onRateLimitWait: deps.onRateLimitWait } : {}),
  });
  const options = resolveCommandOptions(deps.commands);
  /** One token refresher per Blink account, shared by that account's sessions. */
  const refreshers = new Map<string, TokenRefresher>();
  // One per service: a skipped list item is named once per process, not on every poll.
  const dropped = createDropReporter(deps.log);

  function release(accountId: string): void {
    refreshers.delete(accountId);
    http.release(accountId);
  }

  return {
    login(email, password, opts) {
      const oauth = { http, urls: deps.urls, clock: deps.clock, ...(deps.twoFactorTtlMs !== undefined ? { twoFactorTtlMs: deps.twoFactorTtlMs } : {}) };
      return startLogin(oauth, email, password, opts);
    },
    account(session, store) {
      let refresher = refreshers.get(session.accountId);
      if (refresher) refresher.adopt(session, store);
      else {
        refresher = createTokenRefresher(
          { http, urls: deps.urls, clock: deps.clock, log: deps.log, ...(deps.refreshMarginMs !== undefined ? { refreshMarginMs: deps.refreshMarginMs } : {}) },
          session,
          store,
        );
        refreshers.set(session.accountId, refresher);
      }
      const ctx = createAccountContext({ http, urls: deps.urls, clock: deps.clock, log: deps.log, random, session: refresher, options, dropped });
      return createBlinkAccount(ctx, release, deps.live);
    },
    release,
    limiterCount: () => http.limiterCount(),
    globalPerSecondNow: () => http.globalPerSecondNow(),
    close: () => http.close(),
  };
}
