/**
 * The Reply of one clip alert: the video (re-openable, cacheable by file id), a caption
 * with camera, network and local time, and buttons that run ordinary commands.
 */
import type { Readable } from 'node:stream';
import type { BlinkAccount } from '../blink/types.js';
import type { MediaSource, Reply, ReplyButton } from '../core/reply.js';
import type { ClipPayload } from './alert-payload.js';

export interface ClipReplyInput {
  sessionId: string;
  payload: ClipPayload;
  ring: boolean;
  account: BlinkAccount | undefined;
  formatTime: (epochMs: number) => string;
  silent: boolean;
  /** Wraps every opened stream (download failure tracking, first-byte timing). */
  track: (stream: Readable) => Readable;
  /** Told when the clip download fails (before or during the stream). */
  onOpenError: (error: unknown) => void;
  /** 'video': the clip; 'unavailable': thumbnail + "clip unavailable"; 'partial': thumbnail + "still uploading". */
  mode: 'video' | 'unavailable' | 'partial';
}

export function clipCaption(payload: ClipPayload, ring: boolean, formatTime: (ms: number) => string): string {
  const { clip } = payload;
  const where = clip.networkName ? ` (${clip.networkName})` : '';
  const when = formatTime(clip.createdAtMs);
  return ring ? `🔔 Someone rang ${clip.cameraName}${where} · ${when}` : `🎥 Motion: ${clip.cameraName}${where} · ${when}`;
}

function clipButtons(payload: ClipPayload): ReplyButton[][] {
  const { clip } = payload;
  const network = clip.networkName ?? clip.networkId;
  return [
    [
      { label: 'Snap now', action: { command: 'snap', args: { camera: clip.cameraName } } },
      { label: 'Mute 1 h', action: { command: 'mute', args: { camera: clip.cameraName, duration: '1h' } } },
    ],
    [
      { label: 'Arm', action: { command: 'arm', args: { network } } },
      { label: 'Disarm', action: { command: 'disarm', args: { network } } },
    ],
  ];
}

export function clipReply(input: ClipReplyInput): Reply {
  const { clip } = input.payload;
  const caption = clipCaption(input.payload, input.ring, input.formatTime);
  const buttons = clipButtons(input.payload);
  const account = input.account;
  const thumbnail: MediaSource | undefined =
    account && clip.thumbnailPath !== undefined
      ? {
          kind: 'photo',
          filename: `${clip.id}.jpg`,
          cacheKey: `thumb:${input.sessionId}:${clip.id}`,
          open: async (signal) => {
            const d = await account.openClipThumbnail({ id: clip.id, thumbnailPath: clip.thumbnailPath }, { priority: 'alert', ...(signal ? { signal } : {}) });
            return { stream: d.stream, ...(d.sizeBytes !== undefined ? { sizeBytes: d.sizeBytes } : {}) };
          },
        }
      : undefined;
  const base = { silent: input.silent };
  if (input.mode !== 'video' || !account) {
    const note = input.mode === 'partial' ? 'The clip is still uploading; open it in the Blink app.' : 'Clip unavailable; open it in the Blink app.';
    const text = `${caption}\n${note}`;
    return thumbnail
      ? { ...base, parts: [{ type: 'media', media: thumbnail, caption: text, buttons }] }
      : { ...base, parts: [{ type: 'text', text, buttons }] };
  }
  const video: MediaSource = {
    kind: 'video',
    filename: `${clip.id}.mp4`,
    cacheKey: `clip:${input.sessionId}:${clip.id}`,
    open: async (signal) => {
      let d;
      try {
        d = await account.openClip({ id: clip.id, mediaPath: clip.mediaPath }, { priority: 'alert', ...(signal ? { signal } : {}) });
      } catch (error) {
        input.onOpenError(error);
        throw error;
      }
      return { stream: input.track(d.stream), ...(d.sizeBytes !== undefined ? { sizeBytes: d.sizeBytes } : {}) };
    },
    // The thumbnail is both the cover shown before playback and the picture sent instead
    // of a clip over the upload limit.
    ...(thumbnail ? { fallback: thumbnail, cover: thumbnail } : {}),
  };
  return { ...base, parts: [{ type: 'media', media: video, caption, buttons }] };
}
