/**
 * Cloud clips: media/changed pages (docs/blink-api.md, "Clips and media"; 1-based) and the cheap change
 * check. Watermarks are Blink's own `updated_at` strings: our clock is never used (F14).
 */
import type { z } from 'zod';
import { BlinkApiError } from '../errors.js';
import type { AccountContext } from './context.js';
import { MediaChanged, type MediaEntry } from './schemas.js';
import { sentLength } from './tolerant-list.js';
import type { BlinkClip, CallOptions, ChangeCheck, MediaDownload, Watermark } from './types.js';

const EPOCH: Watermark = { updatedAt: '1970-01-01T00:00:00+00:00', updatedAtMs: 0 };
const DEFAULT_LIMIT = 25;

/** `YYYY-MM-DDTHH:MM:SS+0000`, with '+' percent-encoded (a form decoder reads a space; docs/blink-api.md). */
function sinceParam(ms: number): string {
  const iso = new Date(Math.max(0, ms)).toISOString().slice(0, 19);
  return `${iso}%2B0000`;
}

/**
 * A clip thumbnail given without an extension (the legacy `…/media/thumb/123`) gets `.jpg`,
 * as blinkpy does; one with an extension or a query (`….jpg?ext=`) is used as given.
 */
export function clipThumbnailPath(value: string): string {
  const q = value.indexOf('?');
  const path = q >= 0 ? value.slice(0, q) : value;
  const last = path.slice(path.lastIndexOf('/') + 1);
  return last.includes('.') || last === '' ? value : `${path}.jpg${q >= 0 ? value.slice(q) : ''}`;
}

function toClip(e: z.output<typeof MediaEntry>): BlinkClip {
  const clip: BlinkClip = {
    id: e.id,
    cameraId: e.device_id,
    cameraName: e.device_name,
    networkId: e.network_id,
    createdAt: e.created_at,
    createdAtMs: Date.parse(e.created_at),
    updatedAt: e.updated_at,
    updatedAtMs: Date.parse(e.updated_at),
    deleted: e.deleted ?? false,
    partial: e.partial ?? false,
    source: e.source ?? 'pir',
    mediaPath: e.media,
  };
  if (e.network_name !== undefined) clip.networkName = e.network_name;
  if (e.device !== undefined) clip.deviceType = e.device;
  if (e.thumbnail !== undefined && e.thumbnail !== '') clip.thumbnailPath = clipThumbnailPath(e.thumbnail);
  if (e.time_zone !== undefined) clip.timeZone = e.time_zone;
  return clip;
}

/** The Date response header as epoch ms, or undefined. */
function serverDate(headers: Record<string, string | string[] | undefined>): number | undefined {
  const raw = headers.date;
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

async function page(ctx: AccountContext, sinceMs: number, n: number, opts?: CallOptions) {
  const path = `/api/v1/accounts/${ctx.accountId}/media/changed?since=${sinceParam(sinceMs)}&page=${n}`;
  const { body, headers } = await ctx.getWithHeaders(MediaChanged, path, 'media/changed', opts);
  const clips = body.media.map(toClip);
  // A page is full by what Blink sent: a skipped entry must not end the paging early.
  const sent = sentLength(body.media);
  return { clips, full: sent > 0 && sent >= (body.limit ?? DEFAULT_LIMIT), serverTime: serverDate(headers) };
}

export async function listClips(ctx: AccountContext, opts?: CallOptions & { since?: Date; page?: number }): Promise<{ clips: BlinkClip[]; hasMore: boolean }> {
  const p = await page(ctx, opts?.since?.getTime() ?? 0, Math.max(1, opts?.page ?? 1), opts);
  return { clips: p.clips, hasMore: p.full };
}

export async function findClip(ctx: AccountContext, mediaId: string, opts?: CallOptions): Promise<BlinkClip | undefined> {
  for (let n = 1; n <= ctx.options.pageCap; n++) {
    const p = await page(ctx, 0, n, opts);
    const found = p.clips.find((c) => c.id === mediaId);
    if (found) return found;
    if (!p.full) return undefined;
  }
  return undefined;
}

function newest(w: Watermark, clips: BlinkClip[]): Watermark {
  let best = w;
  for (const c of clips) {
    if (!Number.isNaN(c.updatedAtMs) && c.updatedAtMs > best.updatedAtMs) best = { updatedAt: c.updatedAt, updatedAtMs: c.updatedAtMs };
  }
  return best;
}

/**
 * One request when nothing changed: page 1 since (W − overlap); further pages only while a
 * page is full, up to the page cap. Without W: the baseline (page 1 of everything; its
 * newest updated_at becomes the watermark, or Blink's Date header when the account has no
 * clip yet; the caller marks those clips seen).
 */
export async function changesSince(ctx: AccountContext, w: Watermark | undefined, opts?: CallOptions): Promise<ChangeCheck> {
  if (!w) {
    const p = await page(ctx, 0, 1, opts);
    let watermark = newest(EPOCH, p.clips);
    if (watermark === EPOCH && p.serverTime !== undefined) {
      watermark = { updatedAt: new Date(p.serverTime).toISOString(), updatedAtMs: p.serverTime };
    }
    return { clips: p.clips, watermark, requests: 1, ...(p.serverTime !== undefined ? { serverTime: p.serverTime } : {}) };
  }
  const clips: BlinkClip[] = [];
  let requests = 0;
  let serverTime: number | undefined;
  for (let n = 1; n <= ctx.options.pageCap; n++) {
    const p = await page(ctx, w.updatedAtMs - ctx.options.changesOverlapMs, n, opts);
    requests++;
    serverTime ??= p.serverTime;
    clips.push(...p.clips);
    if (!p.full) break;
  }
  return { clips, watermark: newest(w, clips), requests, ...(serverTime !== undefined ? { serverTime } : {}) };
}

export function openClip(ctx: AccountContext, clip: Pick<BlinkClip, 'id' | 'mediaPath'>, opts?: CallOptions): Promise<MediaDownload> {
  return ctx.media(clip.mediaPath, 'video', 'media/clip', opts);
}

export async function openClipThumbnail(ctx: AccountContext, clip: Pick<BlinkClip, 'id' | 'thumbnailPath'>, opts?: CallOptions): Promise<MediaDownload> {
  if (!clip.thumbnailPath) {
    throw new BlinkApiError(404, 'media/thumbnail', `Clip ${clip.id} has no thumbnail`);
  }
  return ctx.media(clip.thumbnailPath, 'image', 'media/thumbnail', opts);
}
