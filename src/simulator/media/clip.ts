import { createH264Encoder, type EncodedFrame } from './h264.js';
import { muxMp4 } from './mp4-mux.js';
import { createRaster, type Raster } from './raster.js';
import { drawScene } from './scene.js';
import { rasterToYuv } from './yuv.js';

export const CLIP_WIDTH = 320;
export const CLIP_HEIGHT = 192;
const TIMESCALE = 90_000;

export interface ClipSpec {
  /** Camera name drawn at the top. */
  camera: string;
  /** Epoch milliseconds of the first frame; each frame shows its own time (UTC, hundredths). */
  startMs: number;
  /** Where the visitor starts walking (e.g. the media id), so clips differ. */
  variant?: number;
  /** Length in seconds; default 4. */
  seconds?: number;
  /** Frames per second; default 4. */
  fps?: number;
}

/** Draws frame `index` of a clip: the scene at that instant, the visitor a few pixels on. */
function drawClipFrame(r: Raster, spec: ClipSpec, index: number, fps: number): void {
  drawScene(r, {
    camera: spec.camera,
    atMs: spec.startMs + Math.round((index * 1000) / fps),
    variant: spec.variant ?? Math.floor(spec.startMs / 1000),
    fractions: true,
    walk: Math.round((index * 32) / fps) * 2,
  });
}

/** Encodes frames first..first+count-1; `keyEvery` forces an IDR every that many frames. */
export function encodeClipFrames(
  encoder: ReturnType<typeof createH264Encoder>,
  spec: ClipSpec,
  fps: number,
  first: number,
  count: number,
  keyEvery: number,
): EncodedFrame[] {
  const r = createRaster(encoder.width, encoder.height);
  const out: EncodedFrame[] = [];
  for (let i = first; i < first + count; i++) {
    drawClipFrame(r, spec, i, fps);
    out.push(encoder.encode(rasterToYuv(r), i % keyEvery === 0));
  }
  return out;
}

/**
 * A playable H.264 MP4 (320x192, moov first) of the camera's yard: a visitor walks by while
 * the clock at the bottom runs. About 75-95 KB for the default 4 s at 4 fps.
 */
export function cameraClipMp4(spec: ClipSpec): Buffer {
  const fps = spec.fps ?? 4;
  const count = Math.max(1, Math.round((spec.seconds ?? 4) * fps));
  const encoder = createH264Encoder(CLIP_WIDTH, CLIP_HEIGHT);
  const samples = encodeClipFrames(encoder, spec, fps, 0, count, Number.POSITIVE_INFINITY);
  return muxMp4({
    width: CLIP_WIDTH,
    height: CLIP_HEIGHT,
    sps: encoder.sps,
    pps: encoder.pps,
    timescale: TIMESCALE,
    frameDuration: Math.round(TIMESCALE / fps),
    samples,
  });
}
