/**
 * Checks a media body before anyone trusts it: content type, a plausible size and the file
 * signature. Blink has answered 200 with tiny error bodies (or JSON) instead of clips
 * (docs/chat-contract.md F15), so only the first bytes are peeked; the returned stream still yields every
 * byte and errors if the body ends short of its Content-Length (F16). Destroying the
 * returned stream destroys the HTTP body at once, so an abandoned download (a clip over an
 * upload limit) ends its request instead of holding a connection, and Agent.close(), forever.
 */
import { Readable } from 'node:stream';
import { BlinkNetworkError } from '../errors.js';
import { BlinkMediaError } from './media-error.js';
import type { MediaDownload } from './types.js';

export type MediaKind = 'video' | 'image';

export type MediaCheck =
  | { kind: 'ok'; download: MediaDownload }
  /** 200 with Blink's `{"code":101}`: the caller treats it as a 401. */
  | { kind: 'unauthorized' };

const MAX_JSON_PEEK = 64 * 1024;

/**
 * Every socket read of a media body is a fresh 64 KiB buffer that dies as soon as it is sent
 * on, yet V8 frees such buffers only when it collects, which pure byte traffic hardly ever
 * triggers: a 50 MB clip left ~30 MB of dead buffers behind (and the first one in a process
 * grew RSS by as much). A young-generation collection every 2 MiB frees them at once (every
 * 4 MiB still let one bench round in seven reach +12 MB). See docs/performance.md,
 * "Alert speed and large clips".
 */
const RECLAIM_EVERY_BYTES = 2 * 1024 * 1024;

/** V8's young-generation collection when the process runs with --expose-gc (npm start does). */
function exposedMinorGc(): (() => void) | undefined {
  const collect = globalThis.gc;
  return collect ? () => collect({ type: 'minor' }) : undefined;
}

export interface MediaCheckOptions {
  /** Called after every RECLAIM_EVERY_BYTES passed on. Default: a minor GC where exposed. */
  reclaim?: (() => void) | undefined;
}

function hasSignature(kind: MediaKind, head: Buffer): boolean {
  if (kind === 'video') return head.length >= 8 && head.subarray(4, 8).toString('latin1') === 'ftyp';
  return head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff;
}

function acceptableType(kind: MediaKind, contentType: string): boolean {
  if (contentType === '' || contentType === 'application/octet-stream' || contentType === 'binary/octet-stream') return true;
  return kind === 'video' ? contentType.startsWith('video/') : contentType.startsWith('image/');
}

/** The chunk as a Buffer without copying it (Buffer.from(uint8array) copies every byte). */
function asBuffer(chunk: Uint8Array): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

export async function checkMedia(
  body: Readable,
  contentTypeHeader: string | undefined,
  contentLength: number | undefined,
  kind: MediaKind,
  minBytes: number,
  endpoint: string,
  options: MediaCheckOptions = {},
): Promise<MediaCheck> {
  const contentType = (contentTypeHeader ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const want = contentType.includes('json') ? MAX_JSON_PEEK : Math.max(minBytes, 8);
  const watch = watchBody(body);
  let peeked: Peeked;
  try {
    peeked = await peek(body, watch, want);
  } catch (cause) {
    throw new BlinkNetworkError(endpoint, `Blink media body failed on ${endpoint}`, { cause });
  }
  const { chunks, size } = peeked;
  // Only the checks need the first bytes in one piece; the chunks go on as they came.
  const head = chunks.length === 1 && chunks[0] ? chunks[0] : Buffer.concat(chunks);
  // The watch's error listener stays, so the "aborted" error of an early destroy goes nowhere.
  const stop = (): void => {
    if (!watch.ended) body.destroy();
  };

  if (contentType.includes('json') || (head.length > 0 && head[0] === 0x7b && !hasSignature(kind, head))) {
    stop();
    if (/"code"\s*:\s*101\b/.test(head.toString('utf8'))) return { kind: 'unauthorized' };
    throw new BlinkMediaError(endpoint, 'json-body', `Blink sent JSON instead of media on ${endpoint}`);
  }
  if (!acceptableType(kind, contentType)) {
    stop();
    throw new BlinkMediaError(endpoint, 'content-type', `Blink sent ${contentType} instead of ${kind} on ${endpoint}`);
  }
  if ((contentLength !== undefined && contentLength < minBytes) || (watch.ended && size < minBytes)) {
    stop();
    throw new BlinkMediaError(endpoint, 'too-small', `Blink sent a ${size}-byte body instead of ${kind} on ${endpoint}`);
  }
  if (!hasSignature(kind, head)) {
    stop();
    throw new BlinkMediaError(endpoint, 'signature', `Blink media on ${endpoint} is not a valid ${kind}`);
  }

  const reclaim = 'reclaim' in options ? options.reclaim : exposedMinorGc();
  const stream = passThroughChecked(body, watch, chunks, size, contentLength, endpoint, reclaim);
  return {
    kind: 'ok',
    download: {
      stream,
      contentType: contentType || (kind === 'video' ? 'video/mp4' : 'image/jpeg'),
      sizeBytes: contentLength,
    },
  };
}

/**
 * The body's end and error, listened for from the first byte to the last. A body whose last
 * chunk is the peeked one emits 'end' on the next tick even though it is paused; a listener
 * added only at the reader's first read missed it and the download never ended.
 */
interface BodyWatch {
  ended: boolean;
  error: Error | undefined;
  onEnd: () => void;
  onError: (error: Error) => void;
}

const ignore = (): void => undefined;

function watchBody(body: Readable): BodyWatch {
  const watch: BodyWatch = { ended: false, error: undefined, onEnd: ignore, onError: ignore };
  body.once('end', () => {
    watch.ended = true;
    watch.onEnd();
  });
  body.on('error', (error: Error) => {
    watch.error ??= error;
    watch.onError(error);
  });
  return watch;
}

interface Peeked {
  chunks: Buffer[];
  size: number;
}

/** Reads whole chunks until `want` bytes or the end, then leaves the body paused. */
function peek(body: Readable, watch: BodyWatch, want: number): Promise<Peeked> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (): void => {
      body.off('data', onData);
      watch.onEnd = ignore;
      watch.onError = ignore;
    };
    const onData = (chunk: Uint8Array): void => {
      chunks.push(asBuffer(chunk));
      size += chunk.length;
      if (size >= want) {
        body.pause();
        done();
        resolve({ chunks, size });
      }
    };
    watch.onEnd = () => {
      done();
      resolve({ chunks, size });
    };
    watch.onError = (error) => {
      done();
      reject(error);
    };
    body.on('data', onData);
  });
}

/**
 * The peeked head, then the rest of the body chunk by chunk: one Readable fed straight from
 * the body's 'data' events (no generator, no extra stream per hop; each chunk is passed on,
 * never copied), paused while the reader is full. Errors if the body ends short of its
 * Content-Length (F16). Destroying it destroys the body at once, so an abandoned download
 * ends its request (a pending read cannot hold it open).
 */
function passThroughChecked(
  body: Readable,
  watch: BodyWatch,
  head: Buffer[],
  headBytes: number,
  contentLength: number | undefined,
  endpoint: string,
  reclaim: (() => void) | undefined,
): Readable {
  let total = headBytes;
  let sinceReclaim = 0;
  let started = false;
  const fail = (cause: Error): void => {
    out.destroy(new BlinkNetworkError(endpoint, `Blink media body broke off on ${endpoint}`, { cause }));
  };
  const finish = (): void => {
    if (contentLength !== undefined && total < contentLength) {
      out.destroy(new BlinkNetworkError(endpoint, `Blink media body truncated on ${endpoint} (${total}/${contentLength} bytes)`));
    } else {
      out.push(null);
    }
  };
  const onData = (chunk: Uint8Array): void => {
    total += chunk.length;
    if (!out.push(asBuffer(chunk))) body.pause();
    sinceReclaim += chunk.length;
    if (reclaim && sinceReclaim >= RECLAIM_EVERY_BYTES) {
      sinceReclaim = 0;
      reclaim();
    }
  };
  const out = new Readable({
    highWaterMark: 64 * 1024,
    read() {
      if (started) {
        body.resume();
        return;
      }
      // The first read: the head, then whatever the body did meanwhile (it may be over).
      started = true;
      for (const chunk of head) this.push(chunk);
      if (watch.error) return fail(watch.error);
      if (watch.ended) return finish();
      watch.onError = fail;
      watch.onEnd = finish;
      body.on('data', onData);
      body.resume();
    },
    destroy(error, callback) {
      watch.onError = ignore;
      watch.onEnd = ignore;
      body.destroy();
      callback(error);
    },
  });
  return out;
}
