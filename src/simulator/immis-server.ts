/**
 * The simulator's immis relay (docs/blink-api.md, "Live view"): TLS on 127.0.0.1 with the
 * test-only certificate of immis-cert.ts. A client sends the 122-byte auth header (serial,
 * client id and connection id of a live view the REST side started); the relay then streams
 * the camera's MPEG-TS in 9-byte-header packets (type 0x00), with an occasional non-video
 * packet mixed in as the real relay does, and closes a client that stops sending keep-alives.
 * Faults (one connection each): refuse, stall, cut mid-stream, garbage packets.
 */
import type { Socket } from 'node:net';
import { createServer, type TLSSocket } from 'node:tls';
import { SIM_IMMIS_CERT, SIM_IMMIS_KEY } from './immis-cert.js';
import { liveTsStream } from './media/index.js';

export type ImmisFault = 'refuse' | 'stall' | 'cut' | 'garbage' | 'noise';

export interface ImmisStats {
  connections: number;
  open: number;
  authFailures: number;
  keepAlives: number;
  latencyPackets: number;
  videoBytes: number;
}

export interface ImmisServerOptions {
  host: string;
  now: () => number;
  /** Media seconds sent per real second. Default 1 (real time). */
  speed?: number;
  /** A client silent (no keep-alive) this long is dropped. Default 30 s. */
  keepAliveTimeoutMs?: number;
  /** Seconds of video one connection gets at most. Default: until the client leaves. */
  streamSeconds?: number;
}

interface Session {
  connectionId: string;
  serial: string;
  clientId: number;
  cameraName: string;
}

const TS_CHUNK = 188 * 7;
const AUTH_BYTES = 122;

function frame(type: number, sequence: number, payload: Uint8Array): Buffer {
  const head = Buffer.alloc(9);
  head.writeUInt8(type, 0);
  head.writeUInt32BE(sequence >>> 0, 1);
  head.writeUInt32BE(payload.byteLength, 5);
  return Buffer.concat([head, payload]);
}

const field = (b: Buffer, at: number, size: number): string =>
  b
    .subarray(at, at + size)
    .toString('utf8')
    .replace(/\0+$/, '');

export async function startImmisServer(options: ImmisServerOptions) {
  const sessions = new Map<string, Session>();
  const faults: ImmisFault[] = [];
  const sockets = new Set<Socket>();
  const stats: ImmisStats = { connections: 0, open: 0, authFailures: 0, keepAlives: 0, latencyPackets: 0, videoBytes: 0 };
  const speed = options.speed ?? 1;
  const keepAliveTimeoutMs = options.keepAliveTimeoutMs ?? 30_000;

  const server = createServer({ cert: SIM_IMMIS_CERT, key: SIM_IMMIS_KEY }, (socket) => void serve(socket));
  // 'refuse' drops the TCP connection before the TLS handshake.
  server.on('connection', (raw: Socket) => {
    sockets.add(raw);
    stats.connections++;
    stats.open++;
    raw.once('close', () => {
      sockets.delete(raw);
      stats.open--;
    });
    if (faults[0] === 'refuse') {
      faults.shift();
      raw.destroy();
    }
  });
  server.on('tlsClientError', () => undefined);

  function checkAuth(header: Buffer): Session | undefined {
    if (header.readUInt32BE(0) !== 0x28 || header.readUInt32BE(4) !== 16) return undefined;
    const serial = field(header, 8, 16);
    const clientId = header.readUInt32BE(24);
    if (header[28] !== 0x01 || header[29] !== 0x08 || header.readUInt32BE(30) !== 64) return undefined;
    if (header.readUInt32BE(98) !== 16 || header.readUInt32BE(118) !== 1) return undefined;
    const session = sessions.get(field(header, 102, 16));
    if (!session || session.serial.slice(0, 16) !== serial || session.clientId !== clientId) return undefined;
    return session;
  }

  async function serve(socket: TLSSocket): Promise<void> {
    socket.on('error', () => undefined);
    let pending = Buffer.alloc(0);
    let session: Session | undefined;
    let lastKeepAlive = Date.now();
    let closed = false;
    socket.once('close', () => {
      closed = true;
    });
    const authed = new Promise<Session | undefined>((resolve) => {
      socket.on('data', (chunk: Buffer) => {
        pending = Buffer.concat([pending, chunk]);
        if (!session) {
          if (pending.length < AUTH_BYTES) return;
          session = checkAuth(pending.subarray(0, AUTH_BYTES));
          pending = pending.subarray(AUTH_BYTES);
          resolve(session);
          if (!session) return;
        }
        while (pending.length >= 9) {
          const length = pending.readUInt32BE(5);
          if (pending.length < 9 + length) break;
          const type = pending.readUInt8(0);
          if (type === 0x0a) {
            stats.keepAlives++;
            lastKeepAlive = Date.now();
          } else if (type === 0x12) stats.latencyPackets++;
          pending = pending.subarray(9 + length);
        }
      });
      socket.once('close', () => resolve(undefined));
    });
    const found = await authed;
    if (!found) {
      if (!closed) stats.authFailures++;
      socket.destroy();
      return;
    }
    const fault = faults.shift();
    if (fault === 'stall') return; // open, silent, until the client gives up
    let sequence = 0;
    const send = async (type: number, payload: Uint8Array): Promise<void> => {
      if (closed) return;
      if (!socket.write(frame(type, ++sequence, payload))) await new Promise((r) => socket.once('drain', r));
    };
    if (fault === 'garbage' || fault === 'noise') {
      // 'garbage': TS-looking packets of random bytes; 'noise': video packets that are not TS.
      for (let i = 0; i < 400 && !closed; i++) {
        const junk = Buffer.alloc(TS_CHUNK);
        for (let k = 0; k < junk.length; k++) junk[k] = (i * 31 + k * 7) & 0xff;
        junk[0] = fault === 'garbage' ? 0x47 : 0x00;
        await send(0x00, junk);
        await new Promise((r) => setTimeout(r, 2));
      }
      return;
    }
    // One chunk of the camera's picture per second of video, paced by `speed`.
    const stream = liveTsStream({ camera: found.cameraName, startMs: options.now(), seconds: options.streamSeconds ?? Number.POSITIVE_INFINITY });
    const started = Date.now();
    let second = 0;
    for await (const ts of stream) {
      if (closed) break;
      if ((fault === 'cut' && second >= 1) || Date.now() - lastKeepAlive > keepAliveTimeoutMs) {
        socket.destroy();
        break;
      }
      const wait = (second * 1000) / speed - (Date.now() - started);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      for (let at = 0, i = 0; at < ts.length && !closed; at += TS_CHUNK, i++) {
        // The relay mixes in packets that are not video, and a video packet that is not TS.
        if (i === 25) await send(0x12, Buffer.alloc(8));
        if (second === 0 && i === 10) await send(0x00, Buffer.from('not a transport stream packet'));
        const chunk = ts.subarray(at, at + TS_CHUNK);
        stats.videoBytes += chunk.length;
        await send(0x00, chunk);
      }
      second++;
    }
    if (!closed) socket.end();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('immis relay is not on a TCP port');
  const hostInUrl = options.host.includes(':') ? `[${options.host}]` : options.host;

  return {
    port: address.port,
    /** Registers a live view and returns the immis:// URL Blink would answer with. */
    open(input: Session): string {
      sessions.set(input.connectionId, input);
      return `immis://${hostInUrl}:${address.port}/${input.connectionId}__IMDS_${input.serial}?client_id=${input.clientId}`;
    },
    /** The next connection fails this way. */
    fault(kind: ImmisFault): void {
      faults.push(kind);
    },
    stats: (): ImmisStats => ({ ...stats }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
