import { BUSY_BODY, jsonReply, type SimReply } from './http-io.js';

/** A one-shot (or `times`-shot) misbehaviour for requests whose path matches. */
export interface FaultSpec {
  method?: string;
  /** Substring of, or pattern over, the request path (with `/rest-{tier}` prefix, no query). */
  path: string | RegExp;
  status?: number;
  body?: unknown;
  retryAfterSec?: number;
  /** A Location header (with a 3xx status: a redirect). */
  location?: string;
  /** Wait this long, then answer (normally, or with the other fault fields). */
  delayMs?: number;
  /** Never answer; the socket stays open until the client gives up or the sim closes. */
  hang?: boolean;
  /** Announce the full Content-Length, send this many body bytes, then drop the socket. */
  truncateAfterBytes?: number;
  /** 200 application/json with a body that is not JSON. */
  malformedJson?: boolean;
  /** 409 with the "System is busy" body. */
  busy?: boolean;
  /** How many matching requests it hits (default 1; Infinity = until cleared). */
  times?: number;
}

interface ActiveFault extends FaultSpec {
  left: number;
}

export type FaultPlan =
  | { kind: 'none'; delayMs: number; truncateAfterBytes?: number }
  | { kind: 'hang'; delayMs: number }
  | { kind: 'reply'; delayMs: number; reply: SimReply; truncateAfterBytes?: number };

const DEFAULT_BODIES: Record<number, unknown> = {
  401: { message: 'Unauthorized Access', code: 101 },
  404: { message: 'Not found', code: 404 },
  409: BUSY_BODY,
  426: { message: 'An app update is required', code: 105 },
  429: { message: 'Too many requests', code: 429 },
  500: { message: 'Internal server error', code: 500 },
  503: { message: 'Service unavailable', code: 503 },
};

export type FaultBook = ReturnType<typeof createFaultBook>;

export function createFaultBook() {
  let faults: ActiveFault[] = [];

  function matches(f: FaultSpec, method: string, path: string): boolean {
    if (f.method && f.method.toUpperCase() !== method) return false;
    return typeof f.path === 'string' ? path.includes(f.path) : f.path.test(path);
  }

  return {
    inject(spec: FaultSpec): void {
      faults.push({ ...spec, left: spec.times ?? 1 });
    },
    clear(): void {
      faults = [];
    },
    pending(): number {
      return faults.length;
    },
    /** Takes the first matching fault (consuming one use) and says what to do. */
    take(method: string, path: string): FaultPlan {
      const f = faults.find((x) => matches(x, method, path));
      if (!f) return { kind: 'none', delayMs: 0 };
      f.left--;
      if (f.left <= 0) faults = faults.filter((x) => x !== f);
      const delayMs = f.delayMs ?? 0;
      if (f.hang) return { kind: 'hang', delayMs };
      const headers: Record<string, string> = {};
      if (f.retryAfterSec !== undefined) headers['retry-after'] = String(f.retryAfterSec);
      if (f.location !== undefined) headers.location = f.location;
      if (f.malformedJson) {
        return {
          kind: 'reply',
          delayMs,
          reply: { status: f.status ?? 200, headers: { 'content-type': 'application/json', ...headers }, body: '{"media": [ {"id": 70' },
          truncateAfterBytes: f.truncateAfterBytes,
        };
      }
      const status = f.busy ? 409 : f.status;
      if (status === undefined) return { kind: 'none', delayMs, truncateAfterBytes: f.truncateAfterBytes };
      const body = f.body ?? (f.busy ? BUSY_BODY : (DEFAULT_BODIES[status] ?? { message: `Error ${status}`, code: status }));
      return { kind: 'reply', delayMs, reply: jsonReply(status, body, headers), truncateAfterBytes: f.truncateAfterBytes };
    },
  };
}
