/**
 * One HTTP exchange with Blink through the limiters: undici request under a time-out, the
 * answer counted (onRequest), a JSON body read whole (up to 8 MiB, decoded once) or a media
 * body checked and handed on as a stream. No retries here (http-retry.ts), and no status
 * mapping except media that fails its check, which reads as 'unauthorized'. Nothing leaves
 * for a host outside Blink's (hosts.ts), and nothing leaves without a User-Agent and an
 * Accept (client-identity.ts).
 */
import type { Agent } from 'undici';
import { request } from 'undici';
import type { Clock } from '../clock.js';
import { BlinkError, BlinkNetworkError, BlinkProtocolError, BlinkRateLimitError } from '../errors.js';
import { DEFAULT_HEADERS } from './client-identity.js';
import type { HostPolicy } from './hosts.js';
import type { BlinkLimiters } from './http-limiters.js';
import type { ResolvedLimits, ResolvedTimeouts } from './http-options.js';
import type { BlinkLogger, BlinkRequestEvent, HttpRequest, RawResponse } from './http-types.js';
import { checkMedia, type MediaKind } from './media.js';
import { requestSignal } from './request-signal.js';
import { header } from './retry-after.js';
import type { MediaDownload } from './types.js';

const MAX_TEXT = 8 * 1024 * 1024;

export type Fetched =
  | { kind: 'text'; status: number; headers: RawResponse['headers']; text: string }
  | { kind: 'media'; download: MediaDownload }
  | { kind: 'unauthorized' };

export type Attempt = (req: HttpRequest, token: string | undefined, media: MediaKind | undefined) => Promise<Fetched>;

export interface AttemptDeps {
  agent: Agent;
  clock: Clock;
  log: BlinkLogger;
  limits: ResolvedLimits;
  timeouts: ResolvedTimeouts;
  limiters: BlinkLimiters;
  hosts: HostPolicy;
  onRequest?: ((event: BlinkRequestEvent) => void) | undefined;
}

export function createAttempt(deps: AttemptDeps): Attempt {
  const { agent, clock, log, limits, timeouts, limiters } = deps;
  /** One attempt through the limiters; the job ends when the body is read (or peeked for media). */
  return async function attempt(req: HttpRequest, token: string | undefined, media: MediaKind | undefined): Promise<Fetched> {
    if (!deps.hosts.allows(req.url)) {
      throw new BlinkProtocolError(req.endpoint, [], `Refused to send ${req.endpoint} to a host that is not Blink's`);
    }
    const paused = limiters.pausedForMs(req.account);
    if (paused > 0) throw new BlinkRateLimitError(req.endpoint, paused);
    const limit = media ? timeouts.mediaMs : timeouts.apiMs;
    const headers: Record<string, string> = { ...DEFAULT_HEADERS, ...req.headers };
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    const started = clock.now();
    let answered = false;
    return limiters.limited(req.account, req.priority, async (): Promise<Fetched> => {
      // A 429 seen while this request queued pauses it too (docs/chat-contract.md F4).
      const pausedNow = limiters.pausedForMs(req.account);
      if (pausedNow > 0) throw new BlinkRateLimitError(req.endpoint, pausedNow);
      const guard = requestSignal(req.signal, limit);
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
          // The deadline and the caller's signal cover the whole body, read after this job
          // ends; the guard unhooks once the body is done: read to the end, failed, or
          // destroyed with the download stream (media.ts), which also ends the request.
          streaming = true;
          if (res.body.destroyed) guard.dispose();
          else res.body.once('close', () => guard.dispose());
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
  };
}
