import type { YuvFrame } from './h264.js';
import type { Raster } from './raster.js';

/** BT.601 limited range, 4:2:0 (chroma averaged over 2x2); every sample lands in 16..240. */
export function rasterToYuv(r: Raster): YuvFrame {
  const { width, height, rgb } = r;
  const cw = width / 2;
  const y = new Uint8Array(width * height);
  const u = new Uint8Array(cw * (height / 2));
  const v = new Uint8Array(cw * (height / 2));
  let R = 0;
  let G = 0;
  let B = 0;
  // Converts one pixel's luma and adds its colour to the 2x2 block's sums.
  const pixel = (index: number): void => {
    const p = index * 3;
    const r0 = rgb[p] ?? 0;
    const g0 = rgb[p + 1] ?? 0;
    const b0 = rgb[p + 2] ?? 0;
    y[index] = ((66 * r0 + 129 * g0 + 25 * b0 + 128) >> 8) + 16;
    R += r0;
    G += g0;
    B += b0;
  };
  for (let cy = 0; cy < height / 2; cy++) {
    for (let cx = 0; cx < cw; cx++) {
      const top = cy * 2 * width + cx * 2;
      R = 0;
      G = 0;
      B = 0;
      pixel(top);
      pixel(top + 1);
      pixel(top + width);
      pixel(top + width + 1);
      const r4 = (R + 2) >> 2;
      const g4 = (G + 2) >> 2;
      const b4 = (B + 2) >> 2;
      u[cy * cw + cx] = ((-38 * r4 - 74 * g4 + 112 * b4 + 128) >> 8) + 128;
      v[cy * cw + cx] = ((112 * r4 - 94 * g4 - 18 * b4 + 128) >> 8) + 128;
    }
  }
  return { width, height, y, u, v };
}
