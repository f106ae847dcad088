/**
 * One TLS connection to Blink's immis stream relay: sends the auth header, then a latency
 * packet every second and a keep-alive every 10 s, and hands every MPEG-TS payload to the
 * caller. The certificate is verified (Node's CA store plus `ca`, for tests the simulator's
 * own); nothing here turns verification off.
 *
 * The connection fails with BlinkLiveError: 'refused' (no TLS session), 'stalled' (no video for
 * `stallMs`), 'cut' (the relay closed before `close` was called), 'garbage' (not immis framing,
 * or only non-video payloads). Every path destroys the socket and stops the timers.
 */
import { isIP } from 'node:net';
import { connect, rootCertificates, type TLSSocket } from 'node:tls';
import type { Clock } from '../../clock.js';
import { BlinkLiveError } from '../../errors.js';
import { authHeader, createPacketReader, isTsPayload, keepAlivePacket, latencyPacket, MSG_VIDEO } from './immis-protocol.js';
import type { ImmisTarget } from './immis-target.js';

export interface ImmisTiming {
  /** TLS connect and handshake. Default 10 s. */
  connectTimeoutMs: number;
  /** No video for this long fails the stream. Default 10 s. */
  stallMs: number;
  /** Keep-alive period. Default 10 s. */
  keepAliveMs: number;
  /** Latency-statistics period. Default 1 s. */
  latencyMs: number;
  /** Video payloads in a row that are not MPEG-TS before the stream counts as garbage. Default 50. */
  garbageLimit: number;
}

export const defaultImmisTiming: ImmisTiming = {
  connectTimeoutMs: 10_000,
  stallMs: 10_000,
  keepAliveMs: 10_000,
  latencyMs: 1000,
  garbageLimit: 50,
};

export interface ImmisConnectOptions {
  clock: Clock;
  timing: ImmisTiming;
  /** Extra trusted CA certificates (PEM), added to Node's own. */
  ca?: string | Buffer | undefined;
  signal?: AbortSignal | undefined;
  /** Each MPEG-TS payload. Return false to pause reading until `resume`. */
  onTs(chunk: Buffer): boolean;
}

export interface ImmisConnection {
  /** Resumes reading after `onTs` returned false. */
  resume(): void;
  /** Closes the socket; `ended` then resolves. Idempotent. */
  close(): void;
  /** Resolves when closed by us; rejects with BlinkLiveError otherwise. */
  readonly ended: Promise<void>;
}

export function openImmis(target: ImmisTarget, options: ImmisConnectOptions): Promise<ImmisConnection> {
  const { clock, timing } = options;
  return new Promise<ImmisConnection>((resolveOpen, rejectOpen) => {
    const stop = new AbortController();
    let opened = false;
    let finished = false;
    let lastVideo = clock.now();
    let garbageRun = 0;
    let settleEnded: (error?: BlinkLiveError) => void = () => undefined;
    const ended = new Promise<void>((resolve, reject) => {
      settleEnded = (error) => (error ? reject(error) : resolve());
    });
    ended.catch(() => undefined);

    const socket: TLSSocket = connect({
      host: target.host,
      port: target.port,
      ...(isIP(target.host) === 0 ? { servername: target.host } : {}),
      ...(options.ca !== undefined ? { ca: [...rootCertificates, options.ca.toString()] } : {}),
      rejectUnauthorized: true,
    });

    const finish = (error?: BlinkLiveError): void => {
      if (finished) return;
      finished = true;
      stop.abort();
      options.signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      if (!opened) rejectOpen(error ?? new BlinkLiveError('refused', 'The live stream closed before it opened'));
      settleEnded(error);
    };
    const onAbort = (): void => finish(new BlinkLiveError('cut', 'The live view was stopped', { cause: options.signal?.reason }));
    if (options.signal?.aborted) {
      onAbort();
      return;
    }
    options.signal?.addEventListener('abort', onAbort, { once: true });

    const connectTimer = clock.sleep(timing.connectTimeoutMs, stop.signal).then(
      () => {
        if (!opened) finish(new BlinkLiveError('refused', `The live stream did not open within ${timing.connectTimeoutMs} ms`));
      },
      () => undefined,
    );
    void connectTimer;

    const reader = createPacketReader();
    socket.on('data', (chunk: Buffer) => {
      let packets;
      try {
        packets = reader.push(chunk);
      } catch (error) {
        finish(new BlinkLiveError('garbage', 'The live stream is not in immis framing', { cause: error }));
        return;
      }
      for (const p of packets) {
        if (finished) return;
        if (p.type !== MSG_VIDEO) continue;
        if (!isTsPayload(p)) {
          if (++garbageRun >= timing.garbageLimit) finish(new BlinkLiveError('garbage', 'The live stream carried no MPEG-TS'));
          continue;
        }
        garbageRun = 0;
        lastVideo = clock.now();
        if (!options.onTs(p.payload)) socket.pause();
      }
    });
    socket.on('error', (error) => {
      finish(new BlinkLiveError(opened ? 'cut' : 'refused', opened ? 'The live stream broke off' : 'The live stream could not be opened', { cause: error }));
    });
    socket.on('close', () => finish(new BlinkLiveError('cut', 'The live stream ended early')));
    socket.once('secureConnect', () => {
      opened = true;
      socket.write(authHeader(target));
      lastVideo = clock.now();
      void loops();
      resolveOpen({
        resume: () => {
          lastVideo = clock.now();
          socket.resume();
        },
        close: () => finish(),
        ended,
      });
    });

    async function loops(): Promise<void> {
      const every = async (ms: number, tick: () => void): Promise<void> => {
        while (!finished) {
          tick();
          await clock.sleep(ms, stop.signal);
        }
      };
      let sequence = 0;
      const stall = async (): Promise<void> => {
        while (!finished) {
          const quiet = clock.now() - lastVideo;
          if (quiet >= timing.stallMs) {
            finish(new BlinkLiveError('stalled', `The live stream sent no video for ${timing.stallMs} ms`));
            return;
          }
          await clock.sleep(timing.stallMs - quiet, stop.signal);
        }
      };
      const send = (bytes: Buffer): void => {
        if (!finished && socket.writable) socket.write(bytes);
      };
      await Promise.all([
        every(timing.keepAliveMs, () => send(keepAlivePacket(++sequence))),
        every(timing.latencyMs, () => send(latencyPacket())),
        stall(),
      ]).catch(() => undefined);
    }
  });
}
