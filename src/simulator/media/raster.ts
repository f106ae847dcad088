import { GLYPH_HEIGHT, GLYPH_WIDTH, glyphColumns } from './font-5x7.js';

/** An RGB picture, three bytes per pixel, rows top to bottom. */
export interface Raster {
  width: number;
  height: number;
  rgb: Uint8Array;
}

export type Rgb = readonly [number, number, number];

export function createRaster(width: number, height: number): Raster {
  return { width, height, rgb: new Uint8Array(width * height * 3) };
}

/** The colour a fraction `t` of the way from `a` to `b`. */
export function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [Math.round(a[0] + (b[0] - a[0]) * t), Math.round(a[1] + (b[1] - a[1]) * t), Math.round(a[2] + (b[2] - a[2]) * t)];
}

/** Fills the rectangle, clipped to the picture. */
export function fillRect(r: Raster, x: number, y: number, w: number, h: number, color: Rgb): void {
  const x0 = Math.max(0, Math.floor(x));
  const y0 = Math.max(0, Math.floor(y));
  const x1 = Math.min(r.width, Math.floor(x + w));
  const y1 = Math.min(r.height, Math.floor(y + h));
  for (let yy = y0; yy < y1; yy++) {
    let i = (yy * r.width + x0) * 3;
    for (let xx = x0; xx < x1; xx++, i += 3) {
      r.rgb[i] = color[0];
      r.rgb[i + 1] = color[1];
      r.rgb[i + 2] = color[2];
    }
  }
}

/** A vertical gradient from `top` to `bottom` over rows y..y+h. */
export function fillGradient(r: Raster, y: number, h: number, top: Rgb, bottom: Rgb): void {
  for (let row = 0; row < h; row++) {
    const t = h <= 1 ? 0 : row / (h - 1);
    fillRect(r, 0, y + row, r.width, 1, mix(top, bottom, t));
  }
}

export function fillCircle(r: Raster, cx: number, cy: number, radius: number, color: Rgb): void {
  const r2 = radius * radius;
  for (let dy = -radius; dy <= radius; dy++) {
    const span = Math.floor(Math.sqrt(Math.max(0, r2 - dy * dy)));
    fillRect(r, cx - span, cy + dy, span * 2 + 1, 1, color);
  }
}

/** Width in pixels of `text` drawn at `scale` (one blank column between glyphs). */
function textWidth(text: string, scale: number): number {
  return text.length === 0 ? 0 : (text.length * (GLYPH_WIDTH + 1) - 1) * scale;
}

export const textHeight = (scale: number): number => GLYPH_HEIGHT * scale;

/** Draws `text` with its top-left corner at x, y; each font pixel becomes a scale x scale block. */
export function drawText(r: Raster, x: number, y: number, text: string, scale: number, color: Rgb): void {
  let cx = x;
  for (const char of text) {
    const columns = glyphColumns(char);
    for (let col = 0; col < GLYPH_WIDTH; col++) {
      const bits = columns[col] ?? 0;
      for (let row = 0; row < GLYPH_HEIGHT; row++) {
        if (bits & (1 << row)) fillRect(r, cx + col * scale, y + row * scale, scale, scale, color);
      }
    }
    cx += (GLYPH_WIDTH + 1) * scale;
  }
}

/** Shortens `text` with a trailing '~' until it fits in `maxWidth` at `scale`. */
export function fitText(text: string, scale: number, maxWidth: number): string {
  if (textWidth(text, scale) <= maxWidth) return text;
  let cut = text;
  while (cut.length > 1 && textWidth(`${cut}~`, scale) > maxWidth) cut = cut.slice(0, -1);
  return `${cut}~`;
}
