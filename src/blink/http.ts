/**
 * The only place that talks HTTP to Blink, and the only place with rate limits and retries
 * (CONTRIBUTING.md). This module wires the parts and keeps their names importable from here:
 * http-options.ts (numbers and defaults), http-types.ts (shapes), http-limiters.ts (global budget,
 * per-account queues, pauses), http-attempt.ts (one exchange), http-retry.ts (retry policy, status → error),
 * retry-after.ts (Retry-After). One undici Agent with long keep-alive; one small ordering
 * queue per Blink account in front of one Bottleneck for the global budget (http-limiters.ts);
 * bounded retries in loops, never recursion.
 */
import { Agent } from 'undici';
import { BlinkApiError, BlinkAuthError, BlinkProtocolError } from '../errors.js';
import { createAttempt } from './http-attempt.js';
import { createBlinkLimiters } from './http-limiters.js';
import { resolveLimits, resolveTimeouts } from './http-options.js';
import { createRetryingCall } from './http-retry.js';
import type { BlinkHttp, HttpDeps } from './http-types.js';

export type { BlinkLimits, BlinkTimeouts } from './http-options.js';
export type {
  AuthHooks,
  BlinkHttp,
  BlinkLogger,
  HttpDeps,
  RawResponse,
} from './http-types.js';
export { parseRetryAfter } from './retry-after.js';

export function createBlinkHttp(deps: HttpDeps): BlinkHttp {
  const { clock, log, random } = deps;
  const limits = resolveLimits(deps.limits);
  const timeouts = resolveTimeouts(deps.timeouts);
  const agent = new Agent({
    keepAliveTimeout: timeouts.keepAliveMs,
    keepAliveMaxTimeout: timeouts.keepAliveMs,
    connections: 16,
  });
  const limiters = createBlinkLimiters({ clock, log, limits, global: deps.globalLimiter });
  const attempt = createAttempt({ agent, clock, log, limits, timeouts, limiters, hosts: deps.hosts, onRequest: deps.onRequest });
  const call = createRetryingCall({ clock, log, random, limits, limiters, attempt, hosts: deps.hosts, onRateLimitWait: deps.onRateLimitWait });

  return {
    limits,
    timeouts,
    async send(req) {
      const fetched = await attempt(req, undefined, undefined);
      if (fetched.kind !== 'text') throw new BlinkAuthError(req.endpoint);
      return { status: fetched.status, headers: fetched.headers, text: fetched.text };
    },
    async json(req) {
      const fetched = await call(req, undefined);
      if (fetched.kind !== 'text') throw new BlinkAuthError(req.endpoint);
      let body: unknown;
      if (fetched.text.trim() !== '') {
        try {
          body = JSON.parse(fetched.text);
        } catch (cause) {
          throw new BlinkProtocolError(req.endpoint, [], `Blink sent malformed JSON on ${req.endpoint}`, { cause });
        }
      }
      return { status: fetched.status, headers: fetched.headers, body };
    },
    async media(req, kind) {
      const fetched = await call(req, kind);
      if (fetched.kind !== 'media') throw new BlinkApiError(200, req.endpoint, `Blink sent no media on ${req.endpoint}`);
      return fetched.download;
    },
    pause: limiters.pause,
    pausedForMs: limiters.pausedForMs,
    release: limiters.release,
    limiterCount: limiters.count,
    globalPerSecondNow: limiters.globalPerSecondNow,
    async close() {
      limiters.clear();
      await agent.close();
    },
  };
}
