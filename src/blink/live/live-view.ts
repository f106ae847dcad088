/**
 * Records a few seconds of a camera's live view as MP4 (docs/blink-api.md, "Live view"):
 * start the live view (one endpoint per product family), check and open the immis stream
 * Blink names, copy its MPEG-TS into an MP4 until enough video arrived, and always end the
 * command (`…/command/{id}/done/`) and close the socket, whatever happened, shutdown included.
 * A stream that breaks off is discarded: the caller gets the whole clip or an error.
 */
import { z } from 'zod';
import { BlinkLiveError } from '../../errors.js';
import type { AccountContext } from '../context.js';
import { LiveviewStart, LiveviewStatus } from '../schemas.js';
import type { BlinkCamera, LiveClip, LiveRecordOptions } from '../types.js';
import { defaultImmisTiming, openImmis, type ImmisConnection, type ImmisTiming } from './immis-connection.js';
import { immisHostAllowed, parseImmisUrl } from './immis-target.js';
import type { TsToMp4 } from './ts-to-mp4.js';

export interface LiveOptions {
  /** Extra CA certificate (PEM) trusted for the immis relay, besides Node's own (tests). */
  ca?: string | Buffer;
  /** Hosts (`host` or `host:port`) allowed besides Blink-looking ones (tests: the simulator). */
  allowedHosts?: readonly string[];
  timing?: Partial<ImmisTiming>;
}

function liveviewPath(accountId: string, camera: BlinkCamera): string {
  const base = `/accounts/${accountId}/networks/${camera.networkId}`;
  switch (camera.family) {
    case 'owl':
      return `/api/v2${base}/owls/${camera.id}/liveview`;
    case 'doorbell':
      return `/api/v2${base}/doorbells/${camera.id}/liveview`;
    default:
      return `/api/v6${base}/cameras/${camera.id}/liveview`;
  }
}

const DONE_TIMEOUT_MS = 5000;

export async function recordLive(ctx: AccountContext, live: LiveOptions, camera: BlinkCamera, opts: LiveRecordOptions): Promise<LiveClip> {
  const timing: ImmisTiming = { ...defaultImmisTiming, ...live.timing };
  const endpoint = `${camera.family}/liveview`;
  // The remuxer (mediabunny) loads on the first live view, not at start: a bot that never
  // records one keeps ~4 MB of heap and ~15 MB of RSS (docs/performance.md, "Many accounts").
  const { createTsToMp4 } = await import('./ts-to-mp4.js');
  const started = await ctx.post(LiveviewStart, liveviewPath(ctx.accountId, camera), endpoint, {
    ...opts,
    body: { intent: 'liveview', motion_event_start_time: null },
  });
  const networkId = started.network_id ?? camera.networkId;
  const stop = new AbortController();
  const stopOnAbort = (): void => stop.abort(opts.signal?.reason);
  opts.signal?.addEventListener('abort', stopOnAbort, { once: true });
  let connection: ImmisConnection | undefined;
  let remux: TsToMp4 | undefined;
  try {
    const target = parseImmisUrl(started.server);
    if (!immisHostAllowed(target, live.allowedHosts)) {
      throw new BlinkLiveError('host', 'Blink named a live view server that is not one of its stream relays');
    }
    const mp4 = createTsToMp4({
      maxSeconds: opts.seconds,
      ...(opts.onSeconds ? { onSeconds: opts.onSeconds } : {}),
      onTarget: () => connection?.close(),
      onDrain: () => connection?.resume(),
    });
    remux = mp4;
    const conn = await openImmis(target, { clock: ctx.clock, timing, ca: live.ca, signal: stop.signal, onTs: (chunk) => mp4.write(chunk) });
    connection = conn;
    const pollMs = Math.min(60, Math.max(1, started.polling_interval ?? 15)) * 1000;
    const deadlineMs = opts.seconds * 2000 + timing.connectTimeoutMs;
    const watchers = [
      conn.ended.catch(async (error: unknown) => {
        // The relay may close right after the last bytes it sent; what arrived may be enough.
        if (!(error instanceof BlinkLiveError) || error.reason !== 'cut' || stop.signal.aborted) throw error;
        mp4.end();
        const clip = await mp4.result.catch(() => undefined);
        if (clip === undefined || clip.durationSeconds < opts.seconds - 0.5) throw error;
      }),
      // A failed remux (no video) ends the stream at once.
      mp4.result.then(() => conn.ended),
      watchCommand(ctx, networkId, started.command_id, pollMs, stop.signal),
      ctx.clock.sleep(deadlineMs, stop.signal).then(() => {
        throw new BlinkLiveError('stalled', `The live view did not deliver ${opts.seconds} s of video in time`);
      }),
    ];
    for (const w of watchers) w.catch(() => undefined);
    await Promise.race(watchers);
    mp4.end();
    return await mp4.result;
  } catch (error) {
    if (opts.signal?.aborted) throw new BlinkLiveError('cut', 'The live view was stopped', { cause: error });
    throw error;
  } finally {
    stop.abort();
    opts.signal?.removeEventListener('abort', stopOnAbort);
    connection?.close();
    remux?.abort(new BlinkLiveError('cut', 'The live view ended'));
    await endCommand(ctx, networkId, started.command_id);
  }
}

/**
 * While streaming, Blink's command shows whether the live view still runs; once it says the
 * command failed or ended, the stream will not deliver any more.
 */
async function watchCommand(ctx: AccountContext, networkId: string, commandId: string, everyMs: number, signal: AbortSignal): Promise<never> {
  for (;;) {
    await ctx.clock.sleep(everyMs, signal);
    const status = await ctx.get(LiveviewStatus, `/network/${networkId}/command/${commandId}`, 'network/command', { signal }).catch((error: unknown) => {
      if (signal.aborted) throw error;
      return undefined; // one failed poll is not the end of the stream
    });
    if (status === undefined) continue;
    const entry = status.commands?.find((c) => c.id === commandId);
    const running = entry?.state_condition === undefined || entry.state_condition === 'new' || entry.state_condition === 'running';
    if ((status.status_code !== undefined && status.status_code !== 908) || !running) {
      throw new BlinkLiveError('ended', 'Blink ended the live view');
    }
  }
}

/** Best effort, with its own time limit: the caller's signal may be the one that stopped us. */
async function endCommand(ctx: AccountContext, networkId: string, commandId: string): Promise<void> {
  try {
    await ctx.post(z.unknown(), `/network/${networkId}/command/${commandId}/done/`, 'network/command/done', {
      signal: AbortSignal.timeout(DONE_TIMEOUT_MS),
      idempotent: true,
    });
  } catch (error) {
    ctx.log.warn({ accountId: ctx.accountId, commandId, err: error instanceof Error ? error.name : 'unknown' }, 'ending the live view command failed');
  }
}
