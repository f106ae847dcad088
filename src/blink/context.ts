/**
 * What every account operation needs: REST calls with the session's token, command polling
 * (docs/blink-api.md, "Commands") with a deadline, busy retries, and one command at a time per network.
 */
import type { z } from 'zod';
import type { Clock } from '../clock.js';
import { BlinkBusyError, BlinkCommandError } from '../errors.js';
import type { BlinkHttp, BlinkLogger } from './http.js';
import type { MediaKind } from './media.js';
import { type CommandStart, CommandStatus, parseBody } from './schemas.js';
import type { TokenRefresher } from './token-refresher.js';
import type { CallOptions, MediaDownload } from './types.js';
import { MEDIA_HEADERS, REST_HEADERS } from './client-identity.js';
import { restBase } from './hosts.js';
import type { BlinkUrls } from './types.js';
import { createDropReporter, type DropReporter } from './tolerant-list.js';

export interface CommandOptions {
  /** Give up polling a command after this long. Default 60 s. */
  commandDeadlineMs?: number;
  /** Gap between two command polls. Default 1 s. */
  pollIntervalMs?: number;
  /** Attempts for a request answered 409 busy. Default 4. */
  busyAttempts?: number;
  /** First busy backoff, doubled each time. Default 2 s. */
  busyBackoffMs?: number;
  /** Re-reads of a camera after a snap until its thumbnail changed. Default 5. */
  snapReadAttempts?: number;
  /** First re-read backoff after a snap, doubled each time. Default 1 s. */
  snapBackoffMs?: number;
  /** Overlap subtracted from the watermark in changesSince. Default 10 min. */
  changesOverlapMs?: number;
  /** Pages read at most by changesSince / findClip. Default 10. */
  pageCap?: number;
}

export type ResolvedCommandOptions = Required<CommandOptions>;

export function resolveCommandOptions(o: CommandOptions = {}): ResolvedCommandOptions {
  return {
    commandDeadlineMs: o.commandDeadlineMs ?? 60_000,
    pollIntervalMs: o.pollIntervalMs ?? 1000,
    busyAttempts: o.busyAttempts ?? 4,
    busyBackoffMs: o.busyBackoffMs ?? 2000,
    snapReadAttempts: o.snapReadAttempts ?? 5,
    snapBackoffMs: o.snapBackoffMs ?? 1000,
    changesOverlapMs: o.changesOverlapMs ?? 10 * 60_000,
    pageCap: o.pageCap ?? 10,
  };
}

export interface AccountContext {
  readonly accountId: string;
  readonly clock: Clock;
  readonly log: BlinkLogger;
  readonly options: ResolvedCommandOptions;
  readonly session: TokenRefresher;
  readonly random: () => number;
  /** Client-Id header of the last homescreen (used by logout when the session has none). */
  seenClientId: string | undefined;
  base(): string;
  get<S extends z.ZodType>(schema: S, path: string, endpoint: string, opts?: CallOptions): Promise<z.output<S>>;
  post<S extends z.ZodType>(schema: S, path: string, endpoint: string, opts?: CallOptions & { body?: unknown; idempotent?: boolean }): Promise<z.output<S>>;
  getWithHeaders<S extends z.ZodType>(
    schema: S,
    path: string,
    endpoint: string,
    opts?: CallOptions,
  ): Promise<{ body: z.output<S>; headers: Record<string, string | string[] | undefined> }>;
  media(path: string, kind: MediaKind, endpoint: string, opts?: CallOptions): Promise<MediaDownload>;
  /** Polls a command to completion; a body without id/network_id needs no polling. */
  waitForCommand(command: z.output<typeof CommandStart>, opts?: CallOptions): Promise<void>;
  /** Repeats `fn` while Blink answers 409 busy, bounded, with backoff. */
  retryBusy<T>(fn: () => Promise<T>, opts?: CallOptions): Promise<T>;
  /** Runs `fn` while holding the network's command lock. */
  withNetwork<T>(networkId: string, fn: () => Promise<T>): Promise<T>;
}

export interface ContextDeps {
  http: BlinkHttp;
  urls: BlinkUrls;
  clock: Clock;
  log: BlinkLogger;
  random: () => number;
  session: TokenRefresher;
  options: ResolvedCommandOptions;
  /** Warns once about list items Blink sent that could not be read (shared across contexts). */
  dropped?: DropReporter;
}

/**
 * One per linked account, kept for the life of the session: a class, so its methods live
 * once on the prototype instead of a dozen closures per account (10,000 accounts, see
 * docs/performance.md, "Many accounts"). Call its methods on the object (never detached).
 */
class Context implements AccountContext {
  readonly accountId: string;
  seenClientId: string | undefined = undefined;
  /** Command lock per network, made on the first command (most accounts only poll). */
  private locks: Map<string, Promise<unknown>> | undefined;

  constructor(
    private readonly http: BlinkHttp,
    private readonly urls: BlinkUrls,
    readonly clock: Clock,
    readonly log: BlinkLogger,
    readonly options: ResolvedCommandOptions,
    readonly session: TokenRefresher,
    readonly random: () => number,
    private readonly dropped: DropReporter,
  ) {
    this.accountId = session.current().accountId;
  }

  private parse<S extends z.ZodType>(schema: S, body: unknown, endpoint: string): z.output<S> {
    const parsed = parseBody(schema, body, endpoint);
    this.dropped.report(endpoint, parsed, this.accountId);
    return parsed;
  }

  base(): string {
    return restBase(this.urls.restTemplate, this.session.current().tier);
  }

  private url(path: string): string {
    return this.base() + (path.startsWith('/') ? path : `/${path}`);
  }

  private common(opts?: CallOptions, headers: Readonly<Record<string, string>> = REST_HEADERS) {
    return { account: this.accountId, headers: { ...headers }, signal: opts?.signal, priority: opts?.priority, auth: this.session.auth };
  }

  async getWithHeaders<S extends z.ZodType>(schema: S, path: string, endpoint: string, opts?: CallOptions) {
    const res = await this.http.json({ ...this.common(opts), method: 'GET', url: this.url(path), endpoint });
    return { body: this.parse(schema, res.body, endpoint), headers: res.headers };
  }

  async get<S extends z.ZodType>(schema: S, path: string, endpoint: string, opts?: CallOptions): Promise<z.output<S>> {
    return (await this.getWithHeaders(schema, path, endpoint, opts)).body;
  }

  async post<S extends z.ZodType>(
    schema: S,
    path: string,
    endpoint: string,
    opts?: CallOptions & { body?: unknown; idempotent?: boolean },
  ): Promise<z.output<S>> {
    const res = await this.http.json({
      ...this.common(opts),
      method: 'POST',
      url: this.url(path),
      endpoint,
      ...(opts?.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
      idempotent: opts?.idempotent ?? false,
    });
    return this.parse(schema, res.body ?? {}, endpoint);
  }

  media(path: string, kind: MediaKind, endpoint: string, opts?: CallOptions): Promise<MediaDownload> {
    return this.http.media({ ...this.common(opts, MEDIA_HEADERS), method: 'GET', url: this.url(path), endpoint }, kind);
  }

  async waitForCommand(command: z.output<typeof CommandStart>, opts?: CallOptions): Promise<void> {
    if (command.id === undefined || command.network_id === undefined) return;
    const { clock, options } = this;
    const deadline = clock.now() + options.commandDeadlineMs;
    for (;;) {
      const status = await this.get(CommandStatus, `/network/${command.network_id}/command/${command.id}`, 'network/command', opts);
      if (status.status_code !== undefined && status.status_code !== 908) {
        throw new BlinkCommandError(`Blink command ${command.id} failed (${status.status_code})`, false);
      }
      if (status.complete) return;
      if (clock.now() + options.pollIntervalMs > deadline) {
        throw new BlinkCommandError(`Blink command ${command.id} did not complete within ${options.commandDeadlineMs} ms`, true);
      }
      await clock.sleep(options.pollIntervalMs, opts?.signal);
    }
  }

  async retryBusy<T>(fn: () => Promise<T>, opts?: CallOptions): Promise<T> {
    for (let n = 1; ; n++) {
      try {
        return await fn();
      } catch (err) {
        if (!(err instanceof BlinkBusyError) || n >= this.options.busyAttempts) throw err;
        const d = this.options.busyBackoffMs * 2 ** (n - 1);
        await this.clock.sleep(d / 2 + this.random() * (d / 2), opts?.signal);
      }
    }
  }

  async withNetwork<T>(networkId: string, fn: () => Promise<T>): Promise<T> {
    this.locks ??= new Map();
    const locks = this.locks;
    const previous = locks.get(networkId) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const tail = run.catch(() => undefined);
    locks.set(networkId, tail);
    try {
      return await run;
    } finally {
      if (locks.get(networkId) === tail) locks.delete(networkId);
    }
  }
}

export function createAccountContext(deps: ContextDeps): AccountContext {
  const { http, urls, clock, log, options, session, random } = deps;
  return new Context(http, urls, clock, log, options, session, random, deps.dropped ?? createDropReporter(log));
}
