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
): Promise<MediaCheck> {
  const contentType = (contentTypeHeader ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const iterator: AsyncIterator<Uint8Array> = body[Symbol.asyncIterator]();
  const chunks: Buffer[] = [];
  let size = 0;
  let ended = false;
  const want = contentType.includes('json') ? MAX_JSON_PEEK : Math.max(minBytes, 8);
  try {
    while (size < want) {
      const next = await iterator.next();
      if (next.done) {
        ended = true;
        break;
      }
      const chunk = asBuffer(next.value);
      chunks.push(chunk);
      size += chunk.length;
    }
  } catch (cause) {
    throw new BlinkNetworkError(endpoint, `Blink media body failed on ${endpoint}`, { cause });
  }
  const head = Buffer.concat(chunks);
  const stop = async (): Promise<void> => {
    if (!ended) await iterator.return?.();
  };

  if (contentType.includes('json') || (head.length > 0 && head[0] === 0x7b && !hasSignature(kind, head))) {
    await stop();
    if (/"code"\s*:\s*101\b/.test(head.toString('utf8'))) return { kind: 'unauthorized' };
    throw new BlinkMediaError(endpoint, 'json-body', `Blink sent JSON instead of media on ${endpoint}`);
  }
  if (!acceptableType(kind, contentType)) {
    await stop();
    throw new BlinkMediaError(endpoint, 'content-type', `Blink sent ${contentType} instead of ${kind} on ${endpoint}`);
  }
  if ((contentLength !== undefined && contentLength < minBytes) || (ended && size < minBytes)) {
    await stop();
    throw new BlinkMediaError(endpoint, 'too-small', `Blink sent a ${size}-byte body instead of ${kind} on ${endpoint}`);
  }
  if (!hasSignature(kind, head)) {
    await stop();
    throw new BlinkMediaError(endpoint, 'signature', `Blink media on ${endpoint} is not a valid ${kind}`);
  }

  async function* rest(): AsyncGenerator<Buffer> {
    let total = head.length;
    yield head;
    if (!ended) {
      for (;;) {
        let next: IteratorResult<Uint8Array>;
        try {
          next = await iterator.next();
        } catch (cause) {
          throw new BlinkNetworkError(endpoint, `Blink media body broke off on ${endpoint}`, { cause });
        }
        if (next.done) break;
        total += next.value.length;
        yield asBuffer(next.value);
      }
    }
    if (contentLength !== undefined && total < contentLength) {
      throw new BlinkNetworkError(endpoint, `Blink media body truncated on ${endpoint} (${total}/${contentLength} bytes)`);
    }
  }
  const bytes = rest();
  // Not Readable.from(rest()): its destroy only asks the generator to return, which waits
  // behind a pending read and never reaches the body (rest() pulls it by hand), so the
  // request stayed open. Here destroy ends the body first; a pending read then fails fast.
  const stream = new Readable({
    read() {
      bytes.next().then(
        (next) => {
          this.push(next.done ? null : next.value);
        },
        (error: unknown) => {
          this.destroy(error instanceof Error ? error : new Error(String(error)));
        },
      );
    },
    destroy(error, callback) {
      body.destroy();
      bytes.return(undefined).then(
        () => callback(error),
        () => callback(error),
      );
    },
  });
  return {
    kind: 'ok',
    download: {
      stream,
      contentType: contentType || (kind === 'video' ? 'video/mp4' : 'image/jpeg'),
      sizeBytes: contentLength,
    },
  };
}
