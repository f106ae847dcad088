/**
 * MediaSource → bytes for one Discord upload, never more than the limit in memory.
 * discord.js buffers every attachment whole before sending (DataResolver.resolveFile
 * concatenates streams), so we read the stream ourselves and stop as soon as it passes the
 * limit: memory per upload is bounded by the limit (10 MiB by default, at most 500 MiB on
 * boosted servers) and an oversized clip is never sent half.
 */
import type { MediaSource } from '../core/reply.js';
import { limitedBytes, UploadTooLargeError } from '../core/upload-limit.js';

export { UploadTooLargeError } from '../core/upload-limit.js';

/** Opens the source and reads it whole; throws UploadTooLargeError past `limitBytes`. */
export async function readLimited(media: MediaSource, limitBytes: number, signal?: AbortSignal): Promise<Buffer> {
  if (media.sizeBytes !== undefined && media.sizeBytes > limitBytes) throw new UploadTooLargeError(limitBytes, media.sizeBytes);
  const { stream, sizeBytes } = await media.open(signal);
  try {
    if (sizeBytes !== undefined && sizeBytes > limitBytes) throw new UploadTooLargeError(limitBytes, sizeBytes);
    const chunks: Uint8Array[] = [];
    let total = 0;
    for await (const bytes of limitedBytes(stream, limitBytes)) {
      total += bytes.byteLength;
      chunks.push(bytes);
    }
    return Buffer.concat(chunks, total);
  } finally {
    stream.destroy();
  }
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
