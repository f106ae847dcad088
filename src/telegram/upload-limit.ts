/**
 * Media bodies for grammY's InputFile, streamed and size-checked. The supplier opens the
 * MediaSource again for every attempt (a failed upload can be repeated from the first byte)
 * and never holds more than one chunk in memory.
 */
import { InputFile } from 'grammy';
import { AppError } from '../errors.js';
import type { MediaSource } from '../core/reply.js';

/** The media is over the upload limit: send its fallback instead (never a doomed upload). */
export class UploadTooLargeError extends AppError {
  readonly sizeBytes: number | undefined;
  readonly limitBytes: number;
  constructor(limitBytes: number, sizeBytes?: number) {
    super('upload_too_large', `media over the ${limitBytes}-byte upload limit`);
    this.sizeBytes = sizeBytes;
    this.limitBytes = limitBytes;
  }
}

/**
 * An InputFile whose bytes come from `media.open()` on each read. A size that `open` reports
 * over the limit fails before any byte is sent; a stream that turns out longer than the limit
 * fails as soon as it passes it, which aborts the request (Telegram never gets a partial file).
 */
export function limitedInputFile(media: MediaSource, limitBytes: number, signal?: AbortSignal): InputFile {
  return new InputFile(async () => {
    const { stream, sizeBytes } = await media.open(signal);
    if (sizeBytes !== undefined && sizeBytes > limitBytes) {
      stream.destroy();
      throw new UploadTooLargeError(limitBytes, sizeBytes);
    }
    return (async function* (): AsyncGenerator<Uint8Array> {
      let total = 0;
      const chunks: AsyncIterable<unknown> = stream;
      try {
        for await (const chunk of chunks) {
          const bytes = toBytes(chunk);
          total += bytes.byteLength;
          if (total > limitBytes) throw new UploadTooLargeError(limitBytes);
          yield bytes;
        }
      } finally {
        stream.destroy();
      }
    })();
  }, media.filename);
}

function toBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (typeof chunk === 'string') return Buffer.from(chunk);
  throw new TypeError('media stream yielded something other than bytes');
}
