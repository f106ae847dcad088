/**
 * Camera pictures already downloaded, by a key that includes Blink's thumbnail reference:
 * while the reference is unchanged the picture is the same, so a repeated /pictures costs
 * no download. A new picture comes with a new reference, hence a new key. Bounded by total
 * bytes (least recently used goes first); concurrent asks for one key share one download.
 */
import type { MediaDownload } from '../blink/types.js';
import { limitedBytes } from './upload-limit.js';

/** A camera picture larger than this is not a thumbnail; reading stops there. */
const MAX_PICTURE_BYTES = 10 * 1024 * 1024;

export interface PictureCache {
  /** The bytes under `key`, downloaded with `download` only when not held. */
  get(key: string, download: () => Promise<MediaDownload>): Promise<Buffer>;
}

export function createPictureCache(options: { maxBytes?: number } = {}): PictureCache {
  const maxBytes = options.maxBytes ?? 32 * 1024 * 1024;
  const held = new Map<string, Buffer>();
  const pending = new Map<string, Promise<Buffer>>();
  let total = 0;

  const keep = (key: string, bytes: Buffer): void => {
    if (bytes.length > maxBytes) return;
    held.set(key, bytes);
    total += bytes.length;
    for (const [oldKey, old] of held) {
      if (total <= maxBytes) break;
      held.delete(oldKey);
      total -= old.length;
    }
  };

  const load = async (key: string, download: () => Promise<MediaDownload>): Promise<Buffer> => {
    const { stream } = await download();
    const chunks: Uint8Array[] = [];
    for await (const chunk of limitedBytes(stream, MAX_PICTURE_BYTES)) chunks.push(chunk);
    const bytes = Buffer.concat(chunks);
    keep(key, bytes);
    return bytes;
  };

  return {
    get(key, download) {
      const known = held.get(key);
      if (known !== undefined) {
        // Most recently used goes last.
        held.delete(key);
        held.set(key, known);
        return Promise.resolve(known);
      }
      const inFlight = pending.get(key);
      if (inFlight) return inFlight;
      const loading = load(key, download).finally(() => pending.delete(key));
      pending.set(key, loading);
      return loading;
    },
  };
}
