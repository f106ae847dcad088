import type { YuvFrame } from './h264.js';

/**
 * Intra 16x16 prediction without residual: a macroblock whose samples equal what the decoder
 * predicts from its left or upper neighbours costs a dozen bits instead of 384 bytes of
 * I_PCM. Flat sky, ground and walls qualify, which keeps a 320x192 IDR near 20-30 KB (level
 * 3.0 wants the first picture under 46 KB: MinCR). Exact matches only, so every decoded
 * picture still equals the source and the next macroblocks can predict from it.
 */

/** Intra16x16PredMode values (vertical, horizontal, DC) and intra_chroma_pred_mode values. */
const LUMA_V = 0;
const LUMA_H = 1;
const LUMA_DC = 2;
const CHROMA_DC = 0;
const CHROMA_H = 1;
const CHROMA_V = 2;

export interface IntraChoice {
  lumaMode: number;
  chromaMode: number;
}

type Plane = Uint8Array;

/** Sum of `count` samples in a row (dx step 1) or column (stride). */
function sum(plane: Plane, start: number, count: number, step: number): number {
  let s = 0;
  for (let i = 0; i < count; i++) s += plane[start + i * step] ?? 0;
  return s;
}

/** Every row of the block equals the row just above the block (vertical prediction). */
function matchesVertical(plane: Plane, stride: number, x0: number, y0: number, size: number): boolean {
  const above = (y0 - 1) * stride + x0;
  for (let y = 0; y < size; y++) {
    const o = (y0 + y) * stride + x0;
    for (let x = 0; x < size; x++) if (plane[o + x] !== plane[above + x]) return false;
  }
  return true;
}

/** Every row of the block repeats the sample just left of it (horizontal prediction). */
function matchesHorizontal(plane: Plane, stride: number, x0: number, y0: number, size: number): boolean {
  for (let y = 0; y < size; y++) {
    const o = (y0 + y) * stride + x0;
    const left = plane[o - 1];
    for (let x = 0; x < size; x++) if (plane[o + x] !== left) return false;
  }
  return true;
}

/** Every sample of the block is `value`. */
function matchesFlat(plane: Plane, stride: number, x0: number, y0: number, size: number, value: number): boolean {
  for (let y = 0; y < size; y++) {
    const o = (y0 + y) * stride + x0;
    for (let x = 0; x < size; x++) if (plane[o + x] !== value) return false;
  }
  return true;
}

function lumaMode(f: YuvFrame, mx: number, my: number): number | undefined {
  const s = f.width;
  const x0 = mx * 16;
  const y0 = my * 16;
  const left = mx > 0;
  const top = my > 0;
  if (top && matchesVertical(f.y, s, x0, y0, 16)) return LUMA_V;
  if (left && matchesHorizontal(f.y, s, x0, y0, 16)) return LUMA_H;
  const topSum = top ? sum(f.y, (y0 - 1) * s + x0, 16, 1) : 0;
  const leftSum = left ? sum(f.y, y0 * s + x0 - 1, 16, s) : 0;
  const dc = top && left ? (topSum + leftSum + 16) >> 5 : top ? (topSum + 8) >> 4 : left ? (leftSum + 8) >> 4 : 128;
  return matchesFlat(f.y, s, x0, y0, 16, dc) ? LUMA_DC : undefined;
}

/** The chroma DC prediction of one 4x4 block (rules differ per block position). */
function chromaDc(plane: Plane, s: number, x0: number, y0: number, bx: number, by: number, top: boolean, left: boolean): number {
  const topSum = top ? sum(plane, (y0 - 1) * s + x0 + bx, 4, 1) : 0;
  const leftSum = left ? sum(plane, (y0 + by) * s + x0 - 1, 4, s) : 0;
  if (bx === by) {
    if (top && left) return (topSum + leftSum + 4) >> 3;
    if (left) return (leftSum + 2) >> 2;
    if (top) return (topSum + 2) >> 2;
    return 128;
  }
  if (by === 0) return top ? (topSum + 2) >> 2 : left ? (leftSum + 2) >> 2 : 128;
  return left ? (leftSum + 2) >> 2 : top ? (topSum + 2) >> 2 : 128;
}

function chromaMatches(plane: Plane, f: YuvFrame, mx: number, my: number, mode: number): boolean {
  const s = f.width / 2;
  const x0 = mx * 8;
  const y0 = my * 8;
  const top = my > 0;
  const left = mx > 0;
  if (mode === CHROMA_V) return top && matchesVertical(plane, s, x0, y0, 8);
  if (mode === CHROMA_H) return left && matchesHorizontal(plane, s, x0, y0, 8);
  for (const [bx, by] of [
    [0, 0],
    [4, 0],
    [0, 4],
    [4, 4],
  ] as const) {
    const dc = chromaDc(plane, s, x0, y0, bx, by, top, left);
    if (!matchesFlat(plane, s, x0 + bx, y0 + by, 4, dc)) return false;
  }
  return true;
}

/** A prediction that reproduces macroblock (mx, my) exactly, or undefined (code it as I_PCM). */
export function exactIntraChoice(f: YuvFrame, mx: number, my: number): IntraChoice | undefined {
  const luma = lumaMode(f, mx, my);
  if (luma === undefined) return undefined;
  for (const chroma of [CHROMA_DC, CHROMA_H, CHROMA_V]) {
    if (chromaMatches(f.u, f, mx, my, chroma) && chromaMatches(f.v, f, mx, my, chroma)) return { lumaMode: luma, chromaMode: chroma };
  }
  return undefined;
}

/**
 * coeff_token for "no coefficients" (TotalCoeff 0, TrailingOnes 0) at context nC: the
 * Intra16x16 DC block is always present, even when empty.
 */
export function emptyCoeffToken(nC: number): { bits: number; length: number } {
  if (nC < 2) return { bits: 0b1, length: 1 };
  if (nC < 4) return { bits: 0b11, length: 2 };
  if (nC < 8) return { bits: 0b1111, length: 4 };
  return { bits: 0b000011, length: 6 };
}
