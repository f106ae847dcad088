import { createRaster, drawText, fillCircle, fillGradient, fillRect, fitText, mix, type Raster, type Rgb, textHeight } from './raster.js';

/** What one picture shows: which camera, when, and a variant that moves the visitor. */
export interface SceneSpec {
  camera: string;
  /** Epoch milliseconds drawn as UTC date and time. */
  atMs: number;
  /** Any integer; different values put the visitor somewhere else (a new snap, a clip frame). */
  variant: number;
  /** Draw hundredths of a second (clip frames: a running time). */
  fractions?: boolean;
  /** Pixels the visitor has walked since the variant's spot (clip frames). */
  walk?: number;
}

/** FNV-1a, so every camera name gets its own stable colours and layout. */
function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

const SKIES: readonly (readonly [Rgb, Rgb])[] = [
  [
    [70, 130, 200],
    [180, 215, 240],
  ],
  [
    [40, 60, 120],
    [230, 150, 110],
  ],
  [
    [90, 150, 170],
    [210, 230, 220],
  ],
  [
    [110, 90, 160],
    [240, 200, 170],
  ],
  [
    [30, 90, 150],
    [150, 200, 230],
  ],
];
const GROUNDS: readonly Rgb[] = [
  [70, 120, 60],
  [110, 100, 80],
  [90, 90, 95],
  [60, 100, 90],
  [130, 120, 90],
];
const WALLS: readonly Rgb[] = [
  [200, 170, 140],
  [170, 60, 50],
  [220, 220, 210],
  [120, 140, 170],
  [230, 200, 120],
];

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** `2026-06-27 12:00:05 UTC`, or `2026-06-27 12:00:05.25` with fractions. */
function formatStamp(atMs: number, fractions: boolean): string {
  const d = new Date(atMs);
  const date = `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
  const time = `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
  return fractions ? `${date} ${time}.${pad2(Math.floor(d.getUTCMilliseconds() / 10))}` : `${date} ${time} UTC`;
}

/** Draws a small yard scene: sky, sun by time of day, ground, a house, a visitor, name and time. */
export function drawScene(r: Raster, spec: SceneSpec): void {
  const { width: w, height: h } = r;
  const look = hashString(spec.camera);
  const scale = Math.max(2, Math.floor(w / 200));
  const bar = textHeight(scale) + 2 * scale;
  const horizon = Math.round(h * 0.62);
  const [skyTop, skyBottom] = SKIES[look % SKIES.length] ?? [
    [0, 0, 0],
    [0, 0, 0],
  ];
  fillGradient(r, 0, horizon, skyTop, skyBottom);
  fillRect(r, 0, horizon, w, h - horizon, GROUNDS[(look >>> 4) % GROUNDS.length] ?? [0, 0, 0]);

  // The sun crosses the sky once a day (UTC), so pictures taken hours apart look different.
  const dayFraction = (((spec.atMs % 86_400_000) + 86_400_000) % 86_400_000) / 86_400_000;
  fillCircle(r, Math.round(w * dayFraction), Math.round(bar + h * 0.12), Math.round(h * 0.06), [250, 220, 90]);

  const houseW = Math.round(w * 0.3);
  const houseH = Math.round(h * 0.26);
  const houseX = Math.round(w * 0.08 + ((look >>> 8) % 5) * w * 0.1);
  const houseY = horizon - houseH + Math.round(h * 0.04);
  const wall = WALLS[(look >>> 12) % WALLS.length] ?? [0, 0, 0];
  fillRect(r, houseX, houseY, houseW, houseH, wall);
  const roofH = Math.round(houseH * 0.6);
  for (let row = 0; row < roofH; row++) {
    const inset = Math.round(((roofH - row) / roofH) * (houseW / 2));
    fillRect(r, houseX + inset - scale, houseY - roofH + row, houseW - 2 * inset + 2 * scale, 1, [90, 50, 40]);
  }
  fillRect(r, houseX + houseW * 0.42, houseY + houseH * 0.45, houseW * 0.16, houseH * 0.55, [80, 55, 40]);
  fillRect(r, houseX + houseW * 0.12, houseY + houseH * 0.2, houseW * 0.18, houseH * 0.22, [250, 240, 170]);
  fillRect(r, houseX + houseW * 0.7, houseY + houseH * 0.2, houseW * 0.18, houseH * 0.22, [250, 240, 170]);

  // The visitor walks along the path; `variant` says where.
  const span = w - 20 * scale;
  const vx = 10 * scale + ((((spec.variant * 37 * scale + (spec.walk ?? 0)) % span) + span) % span);
  const vy = horizon + Math.round((h - horizon) * 0.35);
  const shirt = mix([200, 40, 40], [40, 60, 200], ((spec.variant >>> 0) % 7) / 6);
  fillRect(r, vx - 6 * scale, vy - 6 * scale, 12 * scale, 20 * scale, shirt);
  fillCircle(r, vx, vy - 11 * scale, 5 * scale, [230, 190, 160]);

  fillRect(r, 0, 0, w, bar, [20, 20, 24]);
  drawText(r, 2 * scale, scale, fitText(spec.camera, scale, w - 4 * scale), scale, [255, 255, 255]);
  fillRect(r, 0, h - bar, w, bar, [20, 20, 24]);
  drawText(r, 2 * scale, h - bar + scale, fitText(formatStamp(spec.atMs, spec.fractions ?? false), scale, w - 4 * scale), scale, [255, 230, 120]);
}

export function renderScene(width: number, height: number, spec: SceneSpec): Raster {
  const r = createRaster(width, height);
  drawScene(r, spec);
  return r;
}
