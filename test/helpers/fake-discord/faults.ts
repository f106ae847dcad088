// Injected failures ("the next N calls of route X fail with status S") and the rate-limit
// headers every response carries so @discordjs/rest keeps its buckets happy.
import { createHash } from 'node:crypto';
import type { FaultSpec } from './types.js';

interface FaultResponse {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
  /** Close the connection after this many body bytes instead of answering. */
  cutAfterBytes?: number;
}

export interface Faults {
  add(spec: FaultSpec): void;
  /** Consumes one pending fault for this route, if any. */
  take(route: string, params?: Record<string, string>): FaultResponse | undefined;
  clear(): void;
}

export function rateLimitHeaders(route: string, remaining = 49): Record<string, string> {
  const bucket = createHash('sha1').update(route).digest('hex').slice(0, 16);
  return {
    'x-ratelimit-limit': '50',
    'x-ratelimit-remaining': String(remaining),
    'x-ratelimit-reset': ((Date.now() + 1000) / 1000).toFixed(3),
    'x-ratelimit-reset-after': '1.000',
    'x-ratelimit-bucket': bucket,
  };
}

function defaultError(route: string, status: number): { code: number; message: string } {
  if (status === 404) {
    if (route.includes('/webhooks/')) return { code: 10015, message: 'Unknown Webhook' };
    if (route.includes('/interactions/')) return { code: 10062, message: 'Unknown interaction' };
    if (route.includes('/messages/')) return { code: 10008, message: 'Unknown Message' };
    if (route.includes('/channels/')) return { code: 10003, message: 'Unknown Channel' };
    return { code: 0, message: '404: Not Found' };
  }
  if (status === 401) return { code: 0, message: '401: Unauthorized' };
  if (status === 403) return { code: 50013, message: 'Missing Permissions' };
  if (status === 400) return { code: 50035, message: 'Invalid Form Body' };
  return { code: 0, message: `${status}: Internal Server Error` };
}

function faultResponse(route: string, spec: FaultSpec): FaultResponse {
  if (spec.status === 429) {
    const retryAfter = spec.retryAfter ?? 0.05;
    const headers: Record<string, string> = {
      ...rateLimitHeaders(route, 0),
      'retry-after': String(retryAfter),
      'x-ratelimit-reset-after': String(retryAfter),
      'x-ratelimit-scope': spec.global === true ? 'global' : 'user',
    };
    if (spec.global === true) headers['x-ratelimit-global'] = 'true';
    return {
      status: 429,
      headers,
      body: { message: spec.message ?? 'You are being rate limited.', retry_after: retryAfter, global: spec.global === true, code: spec.code ?? 0 },
    };
  }
  const fallback = defaultError(route, spec.status);
  return {
    status: spec.status,
    headers: rateLimitHeaders(route),
    body: { message: spec.message ?? fallback.message, code: spec.code ?? fallback.code },
  };
}

export function createFaults(): Faults {
  const pending: Array<{ spec: FaultSpec; left: number }> = [];
  return {
    add(spec) {
      pending.push({ spec, left: spec.times ?? 1 });
    },
    take(route, params = {}) {
      const index = pending.findIndex(
        (p) => (p.spec.route === route || p.spec.route === '*') && (p.spec.channel === undefined || p.spec.channel === params['channel']),
      );
      const entry = pending[index];
      if (entry === undefined) return undefined;
      entry.left -= 1;
      if (entry.left <= 0) pending.splice(index, 1);
      const response = faultResponse(route, entry.spec);
      return entry.spec.cutAfterBytes === undefined ? response : { ...response, cutAfterBytes: entry.spec.cutAfterBytes };
    },
    clear() {
      pending.length = 0;
    },
  };
}
