/** The shapes of the Blink HTTP layer: requests, responses, hooks and the client itself. */
import type Bottleneck from 'bottleneck';
import type { Clock } from '../clock.js';
import type { HostPolicy } from './hosts.js';
import type { BlinkLimits, BlinkTimeouts, ResolvedLimits, ResolvedTimeouts } from './http-options.js';
import type { MediaKind } from './media.js';
import type { MediaDownload, RequestPriority } from './types.js';

export interface BlinkLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
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

interface JsonResponse {
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
  /** The only hosts a request (or a redirect) may go to. */
  hosts: HostPolicy;
  log: BlinkLogger;
  random: () => number;
  limits?: BlinkLimits;
  timeouts?: BlinkTimeouts;
  /** Called once per HTTP attempt, answered or not (metrics). */
  onRequest?: (event: BlinkRequestEvent) => void;
  /** Called when a Retry-After is waited out instead of failing (metrics). */
  onRateLimitWait?: () => void;
  /** The Bottleneck for the global request budget (tests; a clustered one later). Default: local. */
  globalLimiter?: Bottleneck;
}
