import { cameraClipMp4, cameraJpeg } from './media/index.js';

/**
 * The media bytes the simulator serves, as pure functions of what they show, so tests can
 * check byte-exact delivery. Pictures and clips are real (see ./media): a JPEG or an H.264
 * MP4 with the camera's name and the time drawn in. See docs/blink-api.md, "Clips and media".
 */

/** What a clip shows: its id moves the visitor, so two clips of one camera differ. */
export interface ClipIdentity {
  id: number;
  /** Camera name drawn in the picture. */
  camera: string;
  /** Epoch ms of the recording: the first frame's clock. */
  createdAt: number;
}

const DEFAULT_CHUNK_SIZE = 64 * 1024;
const FREE_HEADER = 8;

/** The playable clip itself (~80 KB, 4 s). */
export function naturalClip(clip: ClipIdentity): Buffer {
  return cameraClipMp4({ camera: clip.camera, startMs: clip.createdAt, variant: clip.id });
}

/**
 * Bytes served for a clip of declared `size`: the playable MP4, and when `size` is larger,
 * a trailing `free` box filling it up exactly (players skip it), so tests can ask for 50 MB
 * clips. A smaller `size` serves the MP4 as it is.
 */
export function servedClipLength(naturalLength: number, size: number): number {
  return size >= naturalLength + FREE_HEADER ? size : naturalLength;
}

/** Yields the served bytes in chunks of about `chunkSize`; the padding never sits in memory whole. */
export function* clipChunks(natural: Buffer, id: number, size: number, chunkSize = DEFAULT_CHUNK_SIZE): Generator<Buffer> {
  const step = Math.max(64, Math.ceil(chunkSize / 4) * 4);
  for (let o = 0; o < natural.length; o += step) yield natural.subarray(o, Math.min(natural.length, o + step));
  const total = servedClipLength(natural.length, size);
  if (total === natural.length) return;
  const padding = total - natural.length;
  const header = Buffer.alloc(FREE_HEADER);
  header.writeUInt32BE(Math.min(0xffffffff, padding), 0);
  header.write('free', 4, 'latin1');
  yield header;
  // Incompressible filler (xorshift seeded by the id), like a real clip's payload. Never zero:
  // xorshift would stay at zero forever.
  let state = (Math.imul(id >>> 0, 2654435761) ^ 0x9e3779b9) >>> 0 || 1;
  let left = padding - FREE_HEADER;
  while (left > 0) {
    const length = Math.min(step, left);
    const chunk = Buffer.allocUnsafe(Math.ceil(length / 4) * 4);
    for (let i = 0; i < chunk.length; i += 4) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      state >>>= 0;
      chunk.writeUInt32LE(state, i);
    }
    left -= length;
    yield chunk.subarray(0, length);
  }
}

/** A camera's thumbnail: the picture taken at `ts` (epoch seconds, as in its URL). */
export function expectedThumbnailBytes(camera: string, ts: number): Buffer {
  return cameraJpeg({ camera, atMs: ts * 1000, variant: ts });
}

/** A clip's thumbnail: its recording time, the visitor where the clip starts. */
export function expectedClipThumbnailBytes(clip: ClipIdentity): Buffer {
  return cameraJpeg({ camera: clip.camera, atMs: clip.createdAt, variant: clip.id });
}
