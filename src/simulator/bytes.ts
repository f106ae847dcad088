/**
 * Deterministic media bytes, so tests can check byte-exact delivery without storing files.
 * Clips: an MP4 `ftyp` box, an `mdat` header, then xorshift filler seeded by the media id.
 * Generated in chunks: a 50 MB clip never exists in memory as a whole.
 */

const FTYP = Buffer.from([
  0x00, 0x00, 0x00, 0x18, 0x66, 0x74, 0x79, 0x70, // size 24, 'ftyp'
  0x69, 0x73, 0x6f, 0x6d, 0x00, 0x00, 0x02, 0x00, // 'isom', minor 0x200
  0x69, 0x73, 0x6f, 0x6d, 0x69, 0x73, 0x6f, 0x32, // 'isom', 'iso2'
]);
const HEADER_LENGTH = FTYP.length + 8;

export const DEFAULT_CHUNK_SIZE = 64 * 1024;

function clipHeader(size: number): Buffer {
  const header = Buffer.alloc(HEADER_LENGTH);
  FTYP.copy(header, 0);
  header.writeUInt32BE(Math.max(8, Math.min(0xffffffff, size - FTYP.length)), FTYP.length);
  header.write('mdat', FTYP.length + 4, 'latin1');
  return header;
}

/** Yields the clip bytes in chunks of `chunkSize` (rounded up to a multiple of 4). */
export function* clipChunks(mediaId: number, size: number, chunkSize = DEFAULT_CHUNK_SIZE): Generator<Buffer> {
  const step = Math.max(64, Math.ceil(chunkSize / 4) * 4);
  // Never zero: xorshift would stay at zero forever.
  let state = (Math.imul(mediaId >>> 0, 2654435761) ^ 0x9e3779b9) >>> 0 || 1;
  const header = clipHeader(size);
  let offset = 0;
  while (offset < size) {
    const length = Math.min(step, size - offset);
    const chunk = Buffer.allocUnsafe(length);
    let i = 0;
    if (offset < HEADER_LENGTH) {
      i = Math.min(length, HEADER_LENGTH - offset);
      header.copy(chunk, 0, offset, offset + i);
    }
    // Filler starts at a 4-aligned offset (header is 32 bytes, chunks are multiples of 4).
    for (; i + 4 <= length; i += 4) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      state >>>= 0;
      chunk.writeUInt32LE(state, i);
    }
    if (i < length) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      state >>>= 0;
      const tail = Buffer.alloc(4);
      tail.writeUInt32LE(state, 0);
      tail.copy(chunk, i, 0, length - i);
    }
    offset += length;
    yield chunk;
  }
}

/** The exact bytes the simulator serves for clip `mediaId` of `size` bytes. */
export function expectedClipBytes(mediaId: number, size: number): Buffer {
  return Buffer.concat([...clipChunks(mediaId, size)]);
}

/**
 * A small valid-looking JPEG (SOI, JFIF APP0, a comment naming camera and ts, EOI).
 * `ts` is the thumbnail timestamp for camera thumbnails, or the media id for clip thumbnails.
 */
export function expectedThumbnailBytes(cameraId: number, ts: number): Buffer {
  const app0 = Buffer.from([
    0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01,
    0x00, 0x00,
  ]);
  const text = Buffer.from(`blink-sim camera=${cameraId} ts=${ts} `.padEnd(256, '.'), 'latin1');
  const com = Buffer.alloc(4);
  com.writeUInt16BE(0xfffe, 0);
  com.writeUInt16BE(text.length + 2, 2);
  return Buffer.concat([app0, com, text, Buffer.from([0xff, 0xd9])]);
}
