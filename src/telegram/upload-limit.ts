/**
 * Media bodies for grammY's InputFile, streamed and size-checked. The supplier opens the
 * MediaSource again for every attempt (a failed upload can be repeated from the first byte)
 * and never holds more than one chunk in memory.
 */
import { InputFile } from 'grammy';
import type { MediaSource } from '../core/reply.js';
import { limitedBytes, UploadTooLargeError } from '../core/upload-limit.js';

export { UploadTooLargeError } from '../core/upload-limit.js';

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
    return limitedBytes(stream, limitBytes);
  }, media.filename);
}
