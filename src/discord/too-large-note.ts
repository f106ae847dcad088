/** The note Discord shows with a fallback when the media itself was over the upload limit. */
import type { MediaSource } from '../core/reply.js';

function megabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return mb >= 10 ? mb.toFixed(0) : mb.toFixed(1);
}

export function tooLargeNote(media: MediaSource, sizeBytes: number | undefined, limitBytes: number): string {
  const what = media.kind === 'video' ? 'clip' : 'picture';
  const size = sizeBytes !== undefined ? `${megabytes(sizeBytes)} MB` : `over ${megabytes(limitBytes)} MB`;
  return `This ${what} is too large to send here (${size}; the limit is ${megabytes(limitBytes)} MB).`;
}
