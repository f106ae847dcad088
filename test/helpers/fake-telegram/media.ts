import { BotApiError } from './bot-api-error.js';
import type { FileKind } from './ids.js';
import type { Store, StoredFile } from './store.js';
import type { MediaInput, Params, RecordedFile } from './types.js';

export interface MediaLimits {
  /** Largest multipart upload for non-photos (Bot API: 50 MB; a local server: 2000 MB). */
  readonly maxUploadBytes: number;
  /** Largest photo upload (Bot API: 10 MB). */
  readonly maxPhotoBytes: number;
}

const MIME: Partial<Record<FileKind, string>> = { video: 'video/mp4', photo: 'image/jpeg', animation: 'video/mp4' };

/**
 * Turns a media parameter (`attach://…`, a `file_id` we issued, or an http(s) URL) into
 * a stored file, and says which of the three it was.
 */
export function resolveMedia(
  store: Store,
  params: Params,
  files: readonly RecordedFile[],
  param: string,
  kind: FileKind,
  limits: MediaLimits,
): { stored: StoredFile; input: MediaInput } {
  const value = params[param];
  if (typeof value !== 'string' || value === '') {
    throw new BotApiError(400, `Bad Request: there is no ${kind} in the request`);
  }
  if (value.startsWith('attach://')) {
    const partName = value.slice('attach://'.length);
    const file = files.find((f) => f.partName === partName);
    if (file === undefined) throw new BotApiError(400, `Bad Request: file attach://${partName} not found`);
    const limit = kind === 'photo' ? limits.maxPhotoBytes : limits.maxUploadBytes;
    if (file.size > limit) {
      throw kind === 'photo' ? new BotApiError(400, 'Bad Request: PHOTO_SAVE_FILE_INVALID') : new BotApiError(413, 'Request Entity Too Large');
    }
    if (file.size === 0) throw new BotApiError(400, 'Bad Request: file must be non-empty');
    const [, stored] = store.addFile({
      kind,
      size: file.size,
      sha256: file.sha256,
      bytes: file.bytes,
      fileName: file.filename,
      mimeType: MIME[kind] ?? guessMime(file.filename, file.contentType),
    });
    return { stored, input: { param, source: 'upload', file } };
  }
  if (/^https?:\/\//i.test(value)) {
    const [, stored] = store.addFile({
      kind,
      size: 0,
      sha256: '',
      bytes: undefined,
      fileName: value.split('/').pop() ?? 'file',
      mimeType: MIME[kind] ?? 'application/octet-stream',
    });
    return { stored, input: { param, source: 'url', url: value } };
  }
  const stored = store.file(value);
  if (stored === undefined) throw new BotApiError(400, 'Bad Request: wrong file identifier/HTTP URL specified');
  if (stored.kind !== kind && !(kind === 'document' && stored.kind !== 'photo')) {
    throw new BotApiError(400, `Bad Request: can't use file of type ${title(stored.kind)} as ${title(kind)}`);
  }
  return { stored, input: { param, source: 'file_id', fileId: value } };
}

function title(kind: string): string {
  return kind.charAt(0).toUpperCase() + kind.slice(1);
}

function guessMime(fileName: string, contentType: string): string {
  if (contentType !== 'application/octet-stream') return contentType;
  if (/\.mp4$/i.test(fileName)) return 'video/mp4';
  if (/\.jpe?g$/i.test(fileName)) return 'image/jpeg';
  if (/\.png$/i.test(fileName)) return 'image/png';
  return 'application/octet-stream';
}

/** The JSON Telegram returns for a file of `kind`, with a fresh `file_id` for each send. */
export function mediaJson(store: Store, stored: StoredFile, params: Params): Record<string, unknown> {
  const width = numberOr(params['width'], 1280);
  const height = numberOr(params['height'], 720);
  const base = (fileId: string, size: number) => ({ file_id: fileId, file_unique_id: stored.fileUniqueId, file_size: size });
  switch (stored.kind) {
    case 'photo': {
      // Telegram returns several sizes; the last is the largest. All are the same upload here.
      const scales = [90, 320, 800];
      const sizes = scales
        .filter((w) => w < width)
        .map((w) => ({
          ...base(store.aliasFile(stored), Math.max(1, Math.round((stored.size * w) / width))),
          width: w,
          height: Math.round((height * w) / width),
        }));
      return { photo: [...sizes, { ...base(store.aliasFile(stored), stored.size), width, height }] };
    }
    case 'video':
    case 'animation':
      return {
        [stored.kind]: {
          ...base(store.aliasFile(stored), stored.size),
          width,
          height,
          duration: numberOr(params['duration'], 0),
          file_name: stored.fileName,
          mime_type: stored.mimeType,
        },
      };
    default:
      return {
        [stored.kind]: { ...base(store.aliasFile(stored), stored.size), file_name: stored.fileName, mime_type: stored.mimeType },
      };
  }
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}
