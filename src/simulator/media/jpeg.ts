import jpeg from 'jpeg-js';
import { renderScene } from './scene.js';

const SNAP_WIDTH = 640;
const SNAP_HEIGHT = 360;

export interface SnapSpec {
  /** Camera name drawn at the top. */
  camera: string;
  /** Epoch milliseconds drawn at the bottom (UTC). */
  atMs: number;
  /** Distinguishes snaps taken at the same second (e.g. a media id); defaults to the time. */
  variant?: number;
}

/** A baseline JPEG (640x360, about 15-25 KB) of the camera's yard with its name and the time. */
export function cameraJpeg(spec: SnapSpec): Buffer {
  const r = renderScene(SNAP_WIDTH, SNAP_HEIGHT, {
    camera: spec.camera,
    atMs: spec.atMs,
    variant: spec.variant ?? Math.floor(spec.atMs / 1000),
  });
  const rgba = Buffer.alloc(r.width * r.height * 4);
  for (let i = 0, j = 0; i < r.rgb.length; i += 3, j += 4) {
    rgba[j] = r.rgb[i] ?? 0;
    rgba[j + 1] = r.rgb[i + 1] ?? 0;
    rgba[j + 2] = r.rgb[i + 2] ?? 0;
    rgba[j + 3] = 255;
  }
  return jpeg.encode({ width: r.width, height: r.height, data: rgba }, 70).data;
}
