/**
 * What an outbox row carries (its JSON `payload` column): enough of the clip to download
 * it again after a restart, or the text of a notice. Parsed with zod when read back.
 */
import { z } from 'zod';
import type { BlinkClip } from '../blink/types.js';

const ClipPayload = z.object({
  clip: z.object({
    id: z.string(),
    cameraId: z.string(),
    cameraName: z.string(),
    networkId: z.string(),
    networkName: z.string().optional(),
    createdAtMs: z.number(),
    source: z.string(),
    mediaPath: z.string(),
    thumbnailPath: z.string().optional(),
  }),
  /** Still partial after the hold timeout: announce as text with the thumbnail. */
  partial: z.boolean(),
});

const TextPayload = z.object({
  text: z.string(),
  /** Camera the notice is about (health alerts), for per-camera mutes. */
  cameraId: z.string().optional(),
});

export type ClipPayload = z.infer<typeof ClipPayload>;
export type TextPayload = z.infer<typeof TextPayload>;

export function clipPayload(clip: BlinkClip, partial: boolean): ClipPayload {
  return {
    clip: {
      id: clip.id,
      cameraId: clip.cameraId,
      cameraName: clip.cameraName,
      networkId: clip.networkId,
      ...(clip.networkName !== undefined ? { networkName: clip.networkName } : {}),
      createdAtMs: clip.createdAtMs,
      source: clip.source,
      mediaPath: clip.mediaPath,
      ...(clip.thumbnailPath !== undefined ? { thumbnailPath: clip.thumbnailPath } : {}),
    },
    partial,
  };
}

export function parseClipPayload(json: string): ClipPayload | undefined {
  const parsed = ClipPayload.safeParse(safeJson(json));
  return parsed.success ? parsed.data : undefined;
}

export function parseTextPayload(json: string): TextPayload | undefined {
  const parsed = TextPayload.safeParse(safeJson(json));
  return parsed.success ? parsed.data : undefined;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
