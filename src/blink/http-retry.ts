/**
 * The retry policy and status → error mapping shared by json() and media(), bounded and in a
 * loop (never recursion):
 * - 5xx, resets and time-outs: retried with jittered exponential backoff, only when the
 *   request is idempotent (GETs, or a caller that says so), `maxAttempts` in all;
 * - 429: a short Retry-After (≤ `maxRetryAfterWaitMs`) is waited for; a longer one (or
 *   none) pauses that account and raises BlinkRateLimitError at once;
 * - 401 (or 200 with body code 101): one token refresh through `auth.refresh`, one repeat;
 *   a 401 after that refresh is BlinkRefusedError, never a lost session (only a refresh
 *   Blink refuses ends one, token-refresher.ts);
 * - 409 "busy": BlinkBusyError (callers that are safe retry it with `retryBusy`);
 * - a redirect of a GET is followed (a few hops) only to Blink's own hosts (hosts.ts), so a
 *   token never follows it anywhere else; any other redirect is an error.
 */
import type { Clock } from '../clock.js';
import { BlinkApiError, BlinkAuthError, BlinkBusyError, BlinkNetworkError, BlinkRateLimitError, BlinkRefusedError } from '../errors.js';
import type { HostPolicy } from './hosts.js';
import type { Attempt, Fetched } from './http-attempt.js';
import type { BlinkLimiters } from './http-limiters.js';
import type { ResolvedLimits } from './http-options.js';
import type { BlinkLogger, HttpRequest } from './http-types.js';
import type { MediaKind } from './media.js';
import { header, parseRetryAfter } from './retry-after.js';

export interface RetryDeps {
  clock: Clock;
  log: BlinkLogger;
  random: () => number;
  limits: ResolvedLimits;
  limiters: BlinkLimiters;
  attempt: Attempt;
  hosts: HostPolicy;
  onRateLimitWait?: (() => void) | undefined;
}

const MAX_REDIRECTS = 5;

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

export type RetryingCall = (req: HttpRequest, media: MediaKind | undefined) => Promise<Fetched & { kind: 'text' | 'media' }>;

export function createRetryingCall(deps: RetryDeps): RetryingCall {
  const { clock, log, random, limits, limiters, attempt } = deps;

  function backoffMs(n: number): number {
    const cap = Math.min(limits.backoffMaxMs, limits.backoffBaseMs * 2 ** (n - 1));
    return cap / 2 + random() * (cap / 2);
  }

  /** The retry loop shared by json() and media(). */
  return async function call(original: HttpRequest, media: MediaKind | undefined): Promise<Fetched & { kind: 'text' | 'media' }> {
    let req = original;
    let hops = 0;
    const idempotent = req.idempotent ?? req.method === 'GET';
    let token = req.auth ? await req.auth.token() : undefined;
    let refreshed = false;
    for (let n = 1; ; n++) {
      let fetched: Fetched;
      try {
        fetched = await attempt(req, token, media);
      } catch (err) {
        if (err instanceof BlinkNetworkError && idempotent && n < limits.maxAttempts) {
          log.debug({ endpoint: req.endpoint, attempt: n }, 'blink request failed, retrying');
          await clock.sleep(backoffMs(n), req.signal);
          continue;
        }
        throw err;
      }
      let unauthorized = fetched.kind === 'unauthorized';
      if (fetched.kind === 'text' && fetched.status >= 200 && fetched.status < 300 && /"code"\s*:\s*101\b/.test(fetched.text.slice(0, 200))) {
        unauthorized = true;
      }
      if (fetched.kind === 'text' && fetched.status === 401) unauthorized = true;
      if (unauthorized) {
        if (req.auth && token !== undefined && !refreshed) {
          refreshed = true;
          token = await req.auth.refresh(token);
          n--; // the repeat after a refresh is not a failure attempt
          continue;
        }
        // Refused with a token Blink just issued: the request failed, the session did not.
        if (refreshed) throw new BlinkRefusedError(req.endpoint);
        throw new BlinkAuthError(req.endpoint);
      }
      if (fetched.kind === 'media') return fetched;
      if (fetched.kind !== 'text') throw new BlinkAuthError(req.endpoint);
      const { status } = fetched;
      if (status >= 200 && status < 300) return fetched;
      if (isRedirect(status)) {
        const location = header(fetched.headers, 'location');
        let target: URL | undefined;
        try {
          target = location === undefined ? undefined : new URL(location, req.url);
        } catch {
          target = undefined;
        }
        if (req.method !== 'GET' || target === undefined || !deps.hosts.allows(target) || hops >= MAX_REDIRECTS) {
          throw new BlinkApiError(status, req.endpoint, `Blink redirected ${req.endpoint} somewhere we do not follow`);
        }
        hops++;
        req = { ...req, url: target.toString() };
        n--; // a hop is not a failure attempt
        continue;
      }
      if (status === 409 && /busy/i.test(fetched.text)) throw new BlinkBusyError(req.endpoint);
      if (status === 429) {
        if (req.account !== '') limiters.onRateLimited(req.account);
        const retryAfter = parseRetryAfter(header(fetched.headers, 'retry-after'), clock.now());
        if (retryAfter !== undefined && retryAfter <= limits.maxRetryAfterWaitMs && n < limits.maxAttempts) {
          log.info({ endpoint: req.endpoint, retryAfterMs: retryAfter }, 'blink rate limit, waiting');
          deps.onRateLimitWait?.();
          await clock.sleep(retryAfter, req.signal);
          continue;
        }
        const pauseMs = retryAfter ?? limits.defaultRateLimitPauseMs;
        if (req.account !== '') limiters.pause(req.account, pauseMs);
        throw new BlinkRateLimitError(req.endpoint, pauseMs);
      }
      if (status >= 500 && idempotent && n < limits.maxAttempts) {
        await clock.sleep(backoffMs(n), req.signal);
        continue;
      }
      throw new BlinkApiError(status, req.endpoint);
    }
  };
}
