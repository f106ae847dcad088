/**
 * A video's cover (an alert clip's thumbnail) without holding the video back. The video is
 * opened first and the cover downloaded beside it. A cover already in hand once the video is
 * open goes as before: `cover`, and `thumbnail` while under 200 kB. A cover still coming goes
 * as a `cover` part read last (grammY writes the files in payload order, the video first), so
 * the video streams while the picture downloads; `thumbnail` is left out then, its size being
 * unknown. Should that late cover fail, the send fails with CoverUnavailableError and the
 * caller sends the video again without one. See docs/performance.md, "Alert speed and large clips".
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { HttpError, InputFile } from 'grammy';
import type { MediaSource } from '../core/reply.js';
import { limitedBytes } from '../core/upload-limit.js';
import { AppError } from '../errors.js';
import type { Logger } from '../log.js';

/** A cover is a picture; Telegram takes photos up to 10 MB. */
const MAX_COVER_BYTES = 10 * 1024 * 1024;
/** Telegram's `thumbnail` must stay under 200 kB; `cover` has no such limit. */
const THUMBNAIL_MAX_BYTES = 200 * 1000;

/** The late cover could not be had: send the video without it. */
export class CoverUnavailableError extends AppError {
  declare readonly code: 'cover_unavailable';
  constructor() {
    super('cover_unavailable', 'the video cover could not be downloaded');
  }
}

/** The error itself, or the one grammY's network layer wrapped (a failing InputFile). */
export function isCoverUnavailable(err: unknown): boolean {
  return err instanceof CoverUnavailableError || (err instanceof HttpError && err.error instanceof CoverUnavailableError);
}

/** The cover's bytes, read whole; undefined when it cannot be had (never rejects). */
export async function coverBytes(cover: MediaSource, signal: AbortSignal | undefined, log: Logger): Promise<Buffer | undefined> {
  try {
    const { stream } = await cover.open(signal);
    const chunks: Uint8Array[] = [];
    for await (const chunk of limitedBytes(stream, MAX_COVER_BYTES)) chunks.push(chunk);
    return Buffer.concat(chunks);
  } catch (err) {
    log.info({ err }, 'video cover unavailable; sending the video without it');
    return undefined;
  }
}

const LATE: unique symbol = Symbol('late');

type CoverFields = { cover?: InputFile; thumbnail?: InputFile };

/** `cover` (Bot API 8.3: shown before playback) and, when small enough, the older `thumbnail`. */
export function coverFields(cover: Buffer | undefined): CoverFields {
  if (cover === undefined) return {};
  return {
    cover: new InputFile(cover, 'cover.jpg'),
    ...(cover.length < THUMBNAIL_MAX_BYTES ? { thumbnail: new InputFile(cover, 'thumbnail.jpg') } : {}),
  };
}

/**
 * The cover fields once `videoReady` settles: the picture itself when it has arrived by then
 * (one more turn of the event loop included), else a `cover` part that waits for it.
 */
export async function coverFieldsBeside(cover: Promise<Buffer | undefined>, videoReady: Promise<unknown>): Promise<CoverFields> {
  const first = await Promise.race([cover, videoReady.then(nextTurn).then((): typeof LATE => LATE)]);
  if (first !== LATE) return coverFields(first);
  return {
    cover: new InputFile(async () => {
      const bytes = await cover;
      if (bytes === undefined) throw new CoverUnavailableError();
      return bytes;
    }, 'cover.jpg'),
  };
}

/**
 * `media` with its first open started now: the first `open` call gets that stream, later
 * calls (a retried upload) open anew. `release` destroys the early stream if no one took it.
 */
export function openedEarly(media: MediaSource, signal: AbortSignal | undefined) {
  let early: ReturnType<MediaSource['open']> | undefined = media.open(signal);
  // Settles either way: an open that fails shows up where the upload takes the stream.
  const ready = early.then(
    () => undefined,
    () => undefined,
  );
  const source: MediaSource = {
    ...media,
    open(s) {
      const taken = early;
      early = undefined;
      return taken ?? media.open(s);
    },
  };
  const release = (): void => {
    const left = early;
    early = undefined;
    void left?.then(
      ({ stream }) => stream.destroy(),
      () => undefined,
    );
  };
  return { source, ready, release };
}
