import type { YuvFrame } from './h264.js';
import type { Raster } from './raster.js';

/** BT.601 limited range, 4:2:0 (chroma averaged over 2x2); every sample lands in 16..240. */
export function rasterToYuv(r: Raster): YuvFrame {
  const { width, height, rgb } = r;
  const y = new Uint8Array(width * height);
  const u = new Uint8Array((width / 2) * (height / 2));
  const v = new Uint8Array((width / 2) * (height / 2));
  for (let i = 0, p = 0; i < y.length; i++, p += 3) {
    const R = rgb[p] ?? 0;
    const G = rgb[p + 1] ?? 0;
    const B = rgb[p + 2] ?? 0;
    y[i] = ((66 * R + 129 * G + 25 * B + 128) >> 8) + 16;
  }
  const cw = width / 2;
  for (let cy = 0; cy < height / 2; cy++) {
    for (let cx = 0; cx < cw; cx++) {
      let R = 0;
      let G = 0;
      let B = 0;
      for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]] as const) {
        const p = ((cy * 2 + dy) * width + cx * 2 + dx) * 3;
        R += rgb[p] ?? 0;
        G += rgb[p + 1] ?? 0;
        B += rgb[p + 2] ?? 0;
      }
      R = (R + 2) >> 2;
      G = (G + 2) >> 2;
      B = (B + 2) >> 2;
      u[cy * cw + cx] = ((-38 * R - 74 * G + 112 * B + 128) >> 8) + 128;
      v[cy * cw + cx] = ((112 * R - 94 * G - 18 * B + 128) >> 8) + 128;
    }
  }
  return { width, height, y, u, v };
}
