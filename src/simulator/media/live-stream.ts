import { CLIP_HEIGHT, CLIP_WIDTH, type ClipSpec, encodeClipFrames } from './clip.js';
import { createH264Encoder } from './h264.js';
import { createTsMuxer } from './ts-mux.js';

export interface LiveStreamSpec {
  /** Camera name drawn at the top. */
  camera: string;
  /** Epoch milliseconds of the first frame; each frame shows its own time. */
  startMs: number;
  /** Total length in seconds; Infinity streams until the consumer stops iterating. */
  seconds: number;
  /** Frames per second; default 4. */
  fps?: number;
  /** Where the visitor starts; default derived from startMs. */
  variant?: number;
}

/**
 * The frames of one second each as MPEG-TS bytes: every chunk starts with PAT, PMT, SPS, PPS
 * and an IDR picture, so a viewer can join at any chunk. Synchronous; see `liveTsStream`.
 */
export function* liveTsChunks(spec: LiveStreamSpec): Generator<Buffer> {
  const fps = spec.fps ?? 4;
  const total = spec.seconds === Number.POSITIVE_INFINITY ? Number.POSITIVE_INFINITY : Math.max(1, Math.round(spec.seconds * fps));
  const encoder = createH264Encoder(CLIP_WIDTH, CLIP_HEIGHT);
  const mux = createTsMuxer({ sps: encoder.sps, pps: encoder.pps, fps });
  const clip: ClipSpec = { camera: spec.camera, startMs: spec.startMs, ...(spec.variant === undefined ? {} : { variant: spec.variant }) };
  for (let first = 0; first < total; first += fps) {
    const count = Math.min(fps, total - first);
    const frames = encodeClipFrames(encoder, clip, fps, first, count, fps);
    yield Buffer.concat(frames.map((f, i) => mux.picture(f.nal, f.key, first + i)));
  }
}

/**
 * The same chunks as an async iterable that gives the event loop a turn between chunks.
 * It does not pace itself: a server sends a chunk per second of its clock.
 */
export async function* liveTsStream(spec: LiveStreamSpec): AsyncGenerator<Buffer> {
  for (const chunk of liveTsChunks(spec)) {
    yield chunk;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
