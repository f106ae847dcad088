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
  post<S extends z.ZodType>(
    schema: S, path: string, endpoint: string, opts?: CallOptions & { body?: unknown; idempotent?: boolean },
  ): Promise<z.output<S>>;
  getWithHeaders<S extends z.ZodType>(schema: S, path: string, endpoint: string, opts?: CallOptions): Promise<{ body: z.output<S>; headers: Record<string, string | string[] | undefined> }>;
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

export function createAccountContext(deps: ContextDeps): AccountContext {
  const { http, clock, session, options } = deps;
  const locks = new Map<string, Promise<unknown>>();
  const accountId = session.current().accountId;
  const dropped = deps.dropped ?? createDropReporter(deps.log);
  const parse = <S extends z.ZodType>(schema: S, body: unknown, endpoint: string): z.output<S> => {
    const parsed = parseBody(schema, body, endpoint);
    dropped.report(endpoint, parsed, accountId);
    return parsed;
  };
  const base = (): string => restBase(deps.urls.restTemplate, session.current().tier);
  const url = (path: string): string => base() + (path.startsWith('/') ? path : `/${path}`);
  const common = (opts?: CallOptions, headers: Readonly<Record<string, string>> = REST_HEADERS) => ({
    account: accountId,
    headers: { ...headers },
    signal: opts?.signal,
    priority: opts?.priority,
    auth: session.auth,
  });

  async function getWithHeaders<S extends z.ZodType>(schema: S, path: string, endpoint: string, opts?: CallOptions) {
    const res = await http.json({ ...common(opts), method: 'GET', url: url(path), endpoint });
    return { body: parse(schema, res.body, endpoint), headers: res.headers };
  }

  const ctx: AccountContext = {
    accountId,
    clock,
    log: deps.log,
    options,
    session,
    random: deps.random,
    seenClientId: undefined,
    base,
    async get(schema, path, endpoint, opts) {
      return (await getWithHeaders(schema, path, endpoint, opts)).body;
    },
    getWithHeaders,
    async post(schema, path, endpoint, opts) {
      const res = await http.json({
        ...common(opts),
        method: 'POST',
        url: url(path),
        endpoint,
        ...(opts?.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
        idempotent: opts?.idempotent ?? false,
      });
      return parse(schema, res.body ?? {}, endpoint);
    },
    media(path, kind, endpoint, opts) {
      return http.media({ ...common(opts, MEDIA_HEADERS), method: 'GET', url: url(path), endpoint }, kind);
    },
    async waitForCommand(command, opts) {
      if (command.id === undefined || command.network_id === undefined) return;
      const deadline = clock.now() + options.commandDeadlineMs;
      for (;;) {
        const status = await ctx.get(CommandStatus, `/network/${command.network_id}/command/${command.id}`, 'network/command', opts);
        if (status.status_code !== undefined && status.status_code !== 908) {
          throw new BlinkCommandError(`Blink command ${command.id} failed (${status.status_code})`, false);
        }
        if (status.complete) return;
        if (clock.now() + options.pollIntervalMs > deadline) {
          throw new BlinkCommandError(`Blink command ${command.id} did not complete within ${options.commandDeadlineMs} ms`, true);
        }
        await clock.sleep(options.pollIntervalMs, opts?.signal);
      }
    },
    async retryBusy(fn, opts) {
      for (let n = 1; ; n++) {
        try {
          return await fn();
        } catch (err) {
          if (!(err instanceof BlinkBusyError) || n >= options.busyAttempts) throw err;
          const d = options.busyBackoffMs * 2 ** (n - 1);
          await clock.sleep(d / 2 + deps.random() * (d / 2), opts?.signal);
        }
      }
    },
    async withNetwork(networkId, fn) {
      const previous = locks.get(networkId) ?? Promise.resolve();
      const run = previous.then(fn, fn);
      const tail = run.catch(() => undefined);
      locks.set(networkId, tail);
      try {
        return await run;
      } finally {
        if (locks.get(networkId) === tail) locks.delete(networkId);
      }
    },
  };
  return ctx;
}
