/**
 * Blink request metrics without a hook in src/blink: the Blink HTTP layer logs one
 * `blink request` debug line per exchange ({endpoint, status}) and one `blink rate limit,
 * waiting` line per Retry-After wait. This logger passes every line on to the real one and
 * counts those two. Replace with an `onRequest` hook once src/blink offers one.
 */
import type { BlinkLogger } from '../blink/service.js';
import type { Metrics } from '../metrics/metrics.js';

function field(obj: object, name: string): unknown {
  return (obj as Record<string, unknown>)[name];
}

export function tapBlinkLogger(log: BlinkLogger, metrics: Metrics): BlinkLogger {
  return {
    debug(obj, msg) {
      if (msg === 'blink request') {
        const endpoint = field(obj, 'endpoint');
        const method = field(obj, 'method');
        const status = field(obj, 'status');
        if (typeof endpoint === 'string' && typeof status === 'number') {
          metrics.blinkRequest(typeof method === 'string' ? `${method} ${endpoint}` : endpoint, status);
        }
      }
      log.debug(obj, msg);
    },
    info(obj, msg) {
      if (msg === 'blink rate limit, waiting') metrics.blinkRateLimitWait();
      log.info(obj, msg);
    },
    warn: (obj, msg) => log.warn(obj, msg),
    error: (obj, msg) => log.error(obj, msg),
  };
}
