/**
 * The upload size limit both chat front ends enforce on a MediaSource: one error type for
 * "too large, send the fallback instead" and one byte loop that stops as soon as a stream
 * passes the limit, so no platform ever gets a partial file.
 */
import type { Readable } from 'node:stream';
import { AppError } from '../errors.js';

/** The media is over the upload limit: send its fallback instead (never a doomed upload). */
export class UploadTooLargeError extends AppError {
  declare readonly code: 'upload_too_large';
  readonly sizeBytes: number | undefined;
  readonly limitBytes: number;
  constructor(limitBytes: number, sizeBytes?: number) {
    super('upload_too_large', `media over the ${limitBytes}-byte upload limit`);
    this.sizeBytes = sizeBytes;
    this.limitBytes = limitBytes;
  }
}

/**
 * Yields the stream's chunks as bytes and throws UploadTooLargeError once their total passes
 * `limitBytes`. Destroys the stream when the loop ends, however it ends (only once it has
 * started: a caller that never iterates destroys the stream itself).
 */
export async function* limitedBytes(stream: Readable, limitBytes: number): AsyncGenerator<Uint8Array> {
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
}

function toBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (typeof chunk === 'string') return Buffer.from(chunk);
  throw new TypeError('media stream yielded something other than bytes');
}
