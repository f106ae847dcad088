import type { SimAccount, SimDevice, SimMedia } from './types.js';

/**
 * Every media path the simulator hands out, and the readers that map them back. The routes
 * in rest-media-routes.ts accept exactly these shapes (docs/blink-api.md, "Clips and media").
 */

/** Modern camera/Mini thumbnail: `/api/v3/media/accounts/{a}/networks/{n}/{type}/{c}/thumbnail/thumbnail.jpg?ts=…&ext=`. */
export function cameraThumbnailPath(device: SimDevice): string {
  return `/api/v3/media/accounts/${device.accountId}/networks/${device.networkId}/${device.type}/${device.id}/thumbnail/thumbnail.jpg?ts=${device.thumbnailTs}&ext=`;
}

/**
 * Legacy doorbell thumbnail without extension (blinkpy appends `.jpg`). The ts rides in the
 * file name as `__t{ts}_` so the download route can rebuild the bytes.
 */
function legacyThumbnailPath(account: SimAccount, device: SimDevice): string {
  const d = new Date(device.thumbnailTs * 1000);
  const pad = (n: number): string => String(n).padStart(2, '0');
  const hour12 = d.getUTCHours() % 12 || 12;
  const stamp = `${d.getUTCFullYear()}_${pad(d.getUTCMonth() + 1)}_${pad(d.getUTCDate())}__${pad(hour12)}_${pad(d.getUTCMinutes())}${d.getUTCHours() < 12 ? 'AM' : 'PM'}`;
  return `/media/${account.tier}/account/${device.accountId}/network/${device.networkId}/${device.type}/${device.id}/thumbnail/fw_${device.fwVersion}__t${device.thumbnailTs}_${stamp}`;
}

export function deviceThumbnailPath(account: SimAccount, device: SimDevice): string {
  return device.family === 'lotus' ? legacyThumbnailPath(account, device) : cameraThumbnailPath(device);
}

export function legacyThumbnailTs(fileName: string): number | undefined {
  const m = /__t(\d+)_/.exec(fileName);
  return m?.[1] === undefined ? undefined : Number(m[1]);
}

function mediaBase(item: SimMedia, device: SimDevice): string {
  return `/api/v3/media/accounts/${item.accountId}/networks/${device.networkId}/${device.type}/${device.id}/${item.source}/${item.id}`;
}

export function clipPath(item: SimMedia, device: SimDevice): string {
  return item.legacyPaths ? legacyClipPath(item) : `${mediaBase(item, device)}.mp4`;
}

export function clipThumbnailPath(item: SimMedia, device: SimDevice): string {
  return item.legacyPaths ? legacyClipThumbnailPath(item) : `${mediaBase(item, device)}.jpg?ext=`;
}

/**
 * Legacy v2 media paths, as older media/changed entries give them: the thumbnail has no
 * extension (blinkpy appends `.jpg`). Their routes redirect to the v3 paths on the same host.
 */
function legacyClipPath(item: SimMedia): string {
  return `/api/v2/accounts/${item.accountId}/media/clip/${item.id}.mp4`;
}

function legacyClipThumbnailPath(item: SimMedia): string {
  return `/api/v2/accounts/${item.accountId}/media/thumb/${item.id}`;
}

/** Where a legacy path's bytes live now (relative to the REST base). */
export function currentMediaPath(item: SimMedia, device: SimDevice, kind: 'clip' | 'thumb'): string {
  return kind === 'clip' ? `${mediaBase(item, device)}.mp4` : `${mediaBase(item, device)}.jpg?ext=`;
}
