/**
 * MediaSource → bytes for one Discord upload, never more than the limit in memory.
 * discord.js buffers every attachment whole before sending (DataResolver.resolveFile
 * concatenates streams), so we read the stream ourselves and stop as soon as it passes the
 * limit: memory per upload is bounded by the limit (10 MiB by default, at most 500 MiB on
 * boosted servers) and an oversized clip is never sent half.
 */
import { AppError } from '../errors.js';
import type { MediaSource } from '../core/reply.js';

/** The media is over the upload limit: send its fallback instead. */
export class UploadTooLargeError extends AppError {
  readonly sizeBytes: number | undefined;
  readonly limitBytes: number;
  constructor(limitBytes: number, sizeBytes?: number) {
    super('upload_too_large', `media over the ${limitBytes}-byte upload limit`);
    this.sizeBytes = sizeBytes;
    this.limitBytes = limitBytes;
  }
}

/** Opens the source and reads it whole; throws UploadTooLargeError past `limitBytes`. */
export async function readLimited(media: MediaSource, limitBytes: number, signal?: AbortSignal): Promise<Buffer> {
  if (media.sizeBytes !== undefined && media.sizeBytes > limitBytes) throw new UploadTooLargeError(limitBytes, media.sizeBytes);
  const { stream, sizeBytes } = await media.open(signal);
  try {
    if (sizeBytes !== undefined && sizeBytes > limitBytes) throw new UploadTooLargeError(limitBytes, sizeBytes);
    const chunks: Buffer[] = [];
    let total = 0;
    const source: AsyncIterable<unknown> = stream;
    for await (const chunk of source) {
      const bytes = toBuffer(chunk);
      total += bytes.byteLength;
      if (total > limitBytes) throw new UploadTooLargeError(limitBytes);
      chunks.push(bytes);
    }
    return Buffer.concat(chunks, total);
  } finally {
    stream.destroy();
  }
}

function toBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (typeof chunk === 'string') return Buffer.from(chunk);
  throw new TypeError('media stream yielded something other than bytes');
}

function megabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return mb >= 10 ? mb.toFixed(0) : mb.toFixed(1);
}

/** The note shown with a fallback when the media itself was too large. */
export function tooLargeNote(media: MediaSource, sizeBytes: number | undefined, limitBytes: number): string {
  const what = media.kind === 'video' ? 'clip' : 'picture';
  const size = sizeBytes !== undefined ? `${megabytes(sizeBytes)} MB` : `over ${megabytes(limitBytes)} MB`;
  return `This ${what} is too large to send here (${size}; the limit is ${megabytes(limitBytes)} MB).`;
}
