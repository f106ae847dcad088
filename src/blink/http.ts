/**
 * The only place that talks HTTP to Blink, and the only place with rate limits and retries
 * (STYLE.md). One undici Agent with long keep-alive; one small gate per Blink account
 * (account-gate.ts: serial, min gap, user before background) in front of one global gate
 * (min gap 1000 / rate); both replace Bottleneck, measured too costly at 10,000 accounts
 * (account-gate.ts); bounded retries in loops (never recursion):
 * - 5xx, resets and time-outs: retried with jittered exponential backoff, only when the
 *   request is idempotent (GETs, or a caller that says so), `maxAttempts` in all;
 * - 429: a short Retry-After (≤ `maxRetryAfterWaitMs`) is waited for; a longer one (or
 *   none) pauses that account and raises BlinkRateLimitError at once;
 * - 401 (or 200 with body code 101): one token refresh through `auth.refresh`, one repeat;
 * - 409 "busy": BlinkBusyError (callers that are safe retry it with `retryBusy`).
 */
import { Agent, request } from 'undici';
import type { Clock } from '../clock.js';
import {
  BlinkApiError,
  BlinkAuthError,
  BlinkBusyError,
  BlinkError,
  BlinkNetworkError,
  BlinkProtocolError,
  BlinkRateLimitError,
} from '../errors.js';
import { AccountGate } from './account-gate.js';
import { createGlobalRatePolicy } from './global-rate.js';
import { requestSignal } from './request-signal.js';
import { checkMedia, type MediaKind } from './media.js';
import type { MediaDownload, RequestPriority } from './types.js';

export interface BlinkLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

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
  /** Pause after a 429 without Retry-After, ms. Default 5 min (FAULTS F4). */
  defaultRateLimitPauseMs?: number;
  /** Pause of token requests after 429/5xx on /oauth/token, ms. Default 15 min (FAULTS F5). */
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

/** Refresh hooks for REST calls: `refresh` gets the token that was refused. */
export interface AuthHooks {
  token(): Promise<string>;
  refresh(refused: string): Promise<string>;
}

export interface HttpRequest {
  /** Limiter key: the Blink account id, or '' for the global limiter only (login). */
  account: string;
  method: 'GET' | 'POST';
  url: string;
  /** Label for errors and logs: a path template, never tokens or query values. */
  endpoint: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal | undefined;
  priority?: RequestPriority | undefined;
  /** Safe to repeat after a 5xx or a reset. Default: GET only. */
  idempotent?: boolean;
  auth?: AuthHooks;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export interface JsonResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export interface BlinkHttp {
  /** One attempt, no status mapping (OAuth steps, token endpoint). Network errors → BlinkNetworkError. */
  send(req: HttpRequest): Promise<RawResponse>;
  /** A JSON API call with the full retry policy; returns the parsed (not yet validated) body. */
  json(req: HttpRequest): Promise<JsonResponse>;
  /** A media download, checked (type, size, signature) and streamed. */
  media(req: HttpRequest, kind: MediaKind): Promise<MediaDownload>;
  /** Stops requests for `account` until `ms` from now (429 seen elsewhere, e.g. token endpoint). */
  pause(account: string, ms: number): void;
  pausedForMs(account: string): number;
  /** Drops an account's limiter and pause. */
  release(account: string): void;
  /** Limiters currently held (for memory tests). */
  limiterCount(): number;
  /** The global rate in force now, requests per second (lower than the cap while slowed down, F3). */
  globalPerSecondNow(): number;
  readonly limits: ResolvedLimits;
  readonly timeouts: ResolvedTimeouts;
  close(): Promise<void>;
}

/** One exchange with Blink: `status` 0 when no answer came (network error, time-out). */
export interface BlinkRequestEvent {
  /** `METHOD path-template`, never a URL with ids. */
  endpointClass: string;
  status: number;
  durationMs: number;
}

export interface HttpDeps {
  clock: Clock;
  log: BlinkLogger;
  random: () => number;
  limits?: BlinkLimits;
  timeouts?: BlinkTimeouts;
  /** Called once per HTTP attempt, answered or not (metrics). */
  onRequest?: (event: BlinkRequestEvent) => void;
  /** Called when a Retry-After is waited out instead of failing (metrics). */
  onRateLimitWait?: () => void;
}

const MAX_TEXT = 8 * 1024 * 1024;

type Fetched =
  | { kind: 'text'; status: number; headers: RawResponse['headers']; text: string }
  | { kind: 'media'; download: MediaDownload }
  | { kind: 'unauthorized' };

function header(headers: RawResponse['headers'], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The deadline and caller's signal for a media download, which outlives its limiter job. */
function mediaSignal(outer: AbortSignal | undefined, ms: number) {
  const timeout = AbortSignal.timeout(ms);
  return { signal: outer ? AbortSignal.any([outer, timeout]) : timeout, timedOut: () => timeout.aborted, dispose: () => undefined };
}

/** Retry-After as seconds or an HTTP date, in ms from now; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.ceil(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

export function createBlinkHttp(deps: HttpDeps): BlinkHttp {
  const { clock, log, random } = deps;
  const limits = resolveLimits(deps.limits);
  const timeouts = resolveTimeouts(deps.timeouts);
  const agent = new Agent({
    keepAliveTimeout: timeouts.keepAliveMs,
    keepAliveMaxTimeout: timeouts.keepAliveMs,
    connections: 16,
  });
  const minTimeFor = (perSecond: number): number => Math.floor(1000 / perSecond);
  const global = new AccountGate(Number.POSITIVE_INFINITY, minTimeFor(limits.globalPerSecond));
  const globalRate = createGlobalRatePolicy(clock, {
    basePerSecond: limits.globalPerSecond,
    floorPerSecond: limits.slowdownFloorPerSecond,
    windowMs: limits.slowdownWindowMs,
    minAccounts: limits.slowdownMinAccounts,
    quietMs: limits.slowdownQuietMs,
  });
  let appliedRate = limits.globalPerSecond;
  /** Brings the global limiter's gap in line with the policy (cheap when unchanged). */
  function applyGlobalRate(rate: number): void {
    if (rate === appliedRate) return;
    log.warn({ fromPerSecond: appliedRate, toPerSecond: rate }, 'blink global rate changed');
    appliedRate = rate;
    global.setMinGap(minTimeFor(rate));
  }
  const accounts = new Map<string, AccountGate>();
  const pauses = new Map<string, number>();
  let lastSweep = clock.now();

  function sweep(now: number): void {
    lastSweep = now;
    for (const [key, gate] of accounts) if (gate.idle() && now - gate.lastUsed >= limits.idleReleaseMs) accounts.delete(key);
    for (const [key, until] of pauses) if (until <= now) pauses.delete(key);
  }

  /** Runs `job` through the account's gate (if any) and the global limiter. */
  function limited<T>(account: string, priority: RequestPriority | undefined, job: () => Promise<T>): Promise<T> {
    const now = clock.now();
    applyGlobalRate(globalRate.current());
    if (now - lastSweep >= limits.idleReleaseMs / 2) sweep(now);
    const viaGlobal = (): Promise<T> => global.run(priority, job);
    if (account === '') return viaGlobal();
    let gate = accounts.get(account);
    if (!gate) {
      gate = new AccountGate(limits.perAccountConcurrency, limits.perAccountMinTimeMs);
      accounts.set(account, gate);
    }
    gate.lastUsed = now;
    return gate.run(priority, viaGlobal);
  }

  function pausedForMs(account: string): number {
    const until = pauses.get(account);
    return until === undefined ? 0 : Math.max(0, until - clock.now());
  }

  function backoffMs(attempt: number): number {
    const cap = Math.min(limits.backoffMaxMs, limits.backoffBaseMs * 2 ** (attempt - 1));
    return cap / 2 + random() * (cap / 2);
  }

  /** One attempt through the limiters; the job ends when the body is read (or peeked for media). */
  async function attempt(req: HttpRequest, token: string | undefined, media: MediaKind | undefined): Promise<Fetched> {
    const paused = pausedForMs(req.account);
    if (paused > 0) throw new BlinkRateLimitError(req.endpoint, paused);
    const limit = media ? timeouts.mediaMs : timeouts.apiMs;
    const headers: Record<string, string> = { ...req.headers };
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    const started = clock.now();
    let answered = false;
    return limited(req.account, req.priority, async (): Promise<Fetched> => {
      // A 429 seen while this request queued pauses it too (FAULTS F4).
      const pausedNow = pausedForMs(req.account);
      if (pausedNow > 0) throw new BlinkRateLimitError(req.endpoint, pausedNow);
      // Media bodies are read after this job ends, under the caller's own (short-lived) signal:
      // they keep AbortSignal.any, as before (a self-unhooking guard made a Discord clip over
      // the upload limit hang at shutdown; not yet understood).
      const guard = media ? mediaSignal(req.signal, limit) : requestSignal(req.signal, limit);
      const signal = guard.signal;
      let streaming = false;
      try {
        const res = await request(req.url, {
          dispatcher: agent,
          method: req.method,
          headers,
          body: req.body,
          signal,
          headersTimeout: timeouts.apiMs,
          bodyTimeout: limit,
        });
        const resHeaders = res.headers;
        log.debug({ endpoint: req.endpoint, method: req.method, status: res.statusCode, ms: clock.now() - started }, 'blink request');
        answered = true;
        deps.onRequest?.({ endpointClass: `${req.method} ${req.endpoint}`, status: res.statusCode, durationMs: clock.now() - started });
        if (media && res.statusCode >= 200 && res.statusCode < 300) {
          const length = header(resHeaders, 'content-length');
          const check = await checkMedia(
            res.body,
            header(resHeaders, 'content-type'),
            length === undefined ? undefined : Number(length),
            media,
            media === 'video' ? limits.minMediaBytes : limits.minImageBytes,
            req.endpoint,
          );
          if (check.kind !== 'ok') return { kind: 'unauthorized' };
          // The deadline covers the whole body, which is read after this job ends.
          streaming = true;
          return { kind: 'media', download: check.download };
        }
        // Decoded once at the end: a UTF-8 character split across two chunks stays whole,
        // and no chunk is copied.
        const parts: Buffer[] = [];
        let size = 0;
        for await (const chunk of res.body) {
          if (size >= MAX_TEXT) continue;
          const bytes: Uint8Array = chunk;
          parts.push(Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
          size += bytes.byteLength;
        }
        const text = (parts.length === 1 ? (parts[0] ?? Buffer.alloc(0)) : Buffer.concat(parts)).toString('utf8');
        return { kind: 'text', status: res.statusCode, headers: resHeaders, text };
      } catch (cause) {
        if (req.signal?.aborted) throw req.signal.reason;
        if (cause instanceof BlinkError) throw cause;
        // No answer at all (a body that broke off was counted with its status already).
        if (!answered) deps.onRequest?.({ endpointClass: `${req.method} ${req.endpoint}`, status: 0, durationMs: clock.now() - started });
        const timedOut = guard.timedOut() || (cause instanceof Error && /timeout/i.test(cause.name + cause.message));
        throw new BlinkNetworkError(
          req.endpoint,
          timedOut ? `Blink did not answer ${req.endpoint} within ${limit} ms` : `Blink unreachable on ${req.endpoint}`,
          { cause },
        );
      } finally {
        if (!streaming) guard.dispose();
      }
    });
  }

  /** The retry loop shared by json() and media(). */
  async function call(req: HttpRequest, media: MediaKind | undefined): Promise<Fetched & { kind: 'text' | 'media' }> {
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
        throw new BlinkAuthError(req.endpoint);
      }
      if (fetched.kind === 'media') return fetched;
      if (fetched.kind !== 'text') throw new BlinkAuthError(req.endpoint);
      const { status } = fetched;
      if (status >= 200 && status < 300) return fetched;
      if (status === 409 && /busy/i.test(fetched.text)) throw new BlinkBusyError(req.endpoint);
      if (status === 429) {
        if (req.account !== '') applyGlobalRate(globalRate.onRateLimited(req.account));
        const retryAfter = parseRetryAfter(header(fetched.headers, 'retry-after'), clock.now());
        if (retryAfter !== undefined && retryAfter <= limits.maxRetryAfterWaitMs && n < limits.maxAttempts) {
          log.info({ endpoint: req.endpoint, retryAfterMs: retryAfter }, 'blink rate limit, waiting');
          deps.onRateLimitWait?.();
          await clock.sleep(retryAfter, req.signal);
          continue;
        }
        const pauseMs = retryAfter ?? limits.defaultRateLimitPauseMs;
        if (req.account !== '') pause(req.account, pauseMs);
        throw new BlinkRateLimitError(req.endpoint, pauseMs);
      }
      if (status >= 500 && idempotent && n < limits.maxAttempts) {
        await clock.sleep(backoffMs(n), req.signal);
        continue;
      }
      throw new BlinkApiError(status, req.endpoint);
    }
  }

  function pause(account: string, ms: number): void {
    const until = clock.now() + ms;
    if ((pauses.get(account) ?? 0) < until) pauses.set(account, until);
    log.warn({ account, pauseMs: ms }, 'blink account paused');
  }

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
      let body: unknown = undefined;
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
    pause,
    pausedForMs,
    release(account) {
      accounts.delete(account);
      pauses.delete(account);
    },
    limiterCount: () => accounts.size,
    globalPerSecondNow: () => globalRate.current(),
    async close() {
      accounts.clear();
      await agent.close();
    },
  };
}
