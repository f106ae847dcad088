import { type ClipIdentity, clipChunks, expectedClipThumbnailBytes, expectedThumbnailBytes, naturalClip, servedClipLength } from './bytes.js';
import type { SimState } from './state.js';

/** A clip download: its exact length up front, then the bytes chunk by chunk. */
export interface ClipBody {
  length: number;
  chunks: () => Iterable<Buffer>;
}

export type MediaLibrary = ReturnType<typeof createMediaLibrary>;

/**
 * The simulator's media, looked up by id in the state: camera thumbnails, clip thumbnails and
 * clips (cloud and local storage). Encoding a clip takes tens of milliseconds, so recent
 * results are kept (a few MB at most).
 */
export function createMediaLibrary(state: SimState, maxEntries = 48) {
  const cache = new Map<string, Buffer>();
  function cached(key: string, make: () => Buffer): Buffer {
    const hit = cache.get(key);
    if (hit) {
      cache.delete(key);
      cache.set(key, hit);
      return hit;
    }
    const made = make();
    cache.set(key, made);
    for (const oldest of cache.keys()) {
      if (cache.size <= maxEntries) break;
      cache.delete(oldest);
    }
    return made;
  }

  const cameraName = (deviceId: number): string => state.devices.get(deviceId)?.name ?? `Camera ${deviceId}`;

  /** Cloud clips and local-storage clips by id (their id ranges do not overlap). */
  function clipIdentity(id: number): (ClipIdentity & { size: number }) | undefined {
    const item = state.media.get(id);
    if (item) return { id, camera: cameraName(item.deviceId), createdAt: item.createdAt, size: item.size };
    for (const module of state.syncModules.values()) {
      const clip = module.usbClips.find((c) => c.id === id);
      if (clip) return { id, camera: cameraName(clip.cameraId), createdAt: clip.createdAt, size: clip.size };
    }
    return undefined;
  }

  function natural(clip: ClipIdentity): Buffer {
    return cached(`clip ${clip.id} ${clip.createdAt} ${clip.camera}`, () => naturalClip(clip));
  }

  function clipBody(clip: ClipIdentity, size: number): ClipBody {
    const mp4 = natural(clip);
    return { length: servedClipLength(mp4.length, size), chunks: () => clipChunks(mp4, clip.id, size) };
  }

  return {
    /** The picture a camera took at `ts` (epoch seconds). */
    thumbnail(deviceId: number, ts: number): Buffer {
      const camera = cameraName(deviceId);
      return cached(`thumb ${ts} ${camera}`, () => expectedThumbnailBytes(camera, ts));
    },
    /** A clip's thumbnail, or undefined for an unknown clip. */
    clipThumbnail(id: number): Buffer | undefined {
      const clip = clipIdentity(id);
      return clip && cached(`clip-thumb ${id} ${clip.createdAt} ${clip.camera}`, () => expectedClipThumbnailBytes(clip));
    },
    /** A clip's download (cloud or local storage), or undefined for an unknown clip. */
    clip(id: number): ClipBody | undefined {
      const clip = clipIdentity(id);
      return clip && clipBody(clip, clip.size);
    },
  };
}
