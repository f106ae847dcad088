/**
 * What the core answers with: platform-neutral. Each front end renders it (Telegram
 * HTML, Discord markdown and components, terminal text). Text is plain: front ends escape it.
 */
import type { Readable } from 'node:stream';

/** A button: pressing it runs `action` through the dispatcher, re-checking authorization. */
export interface ReplyButton {
  label: string;
  /** Encoded server-side into short callback data by the front end's action store. */
  action: ButtonAction;
  /**
   * The action still needs a value typed by the user (e.g. the 2FA code). Front ends that
   * can (Discord) open a form for it; others tell the user to type it.
   */
  input?: { name: string; label: string; secret?: boolean };
}

/** A command invocation carried by a button (same names and arguments as typed commands). */
export interface ButtonAction {
  command: string;
  args: Record<string, string>;
  /**
   * The user whose command produced the button (set by the dispatcher; absent on alerts).
   * Button tokens are capped per user and chat, so one user cannot expire everyone else's.
   */
  requestedBy?: string;
}

/**
 * A media body that can be opened again for each upload attempt (a one-shot stream cannot
 * be re-sent after a failed try).
 */
export interface MediaSource {
  kind: 'photo' | 'video';
  filename: string;
  /** Known size in bytes, when Blink told us (for upload-limit checks before downloading). */
  sizeBytes?: number;
  /** Key for the platform file-id cache (e.g. `clip:<account>:<media id>`); lets a front end re-send by file id. */
  cacheKey?: string;
  open(signal?: AbortSignal): Promise<{ stream: Readable; sizeBytes?: number }>;
  /** Shown instead of the media when it is over the platform's upload limit. */
  fallback?: MediaSource;
  /** A line front ends add to the caption when they send this source as a fallback. */
  note?: string;
  /** A video's cover picture (an alert clip's thumbnail), where the platform shows one. */
  cover?: MediaSource;
}

/** One picture of an album. */
export interface AlbumItem {
  media: MediaSource;
  caption?: string;
}

export type ReplyPart =
  | { type: 'text'; text: string; buttons?: ReplyButton[][] }
  | { type: 'media'; media: MediaSource; caption?: string; buttons?: ReplyButton[][] }
  /**
   * Several pictures shown together (Telegram media groups of at most 10, one Discord
   * message with attachments, saved files on the terminal). Albums carry no buttons.
   */
  | { type: 'album'; items: AlbumItem[] };

export interface Reply {
  parts: ReplyPart[];
  /** Shown only to the caller where the platform can (Discord ephemeral). */
  private?: boolean;
  /** Delivered without a notification sound (quiet hours). */
  silent?: boolean;
}

/** Progress shown while slow work runs: a chat action, or a "working…" message edited later. */
export interface Progress {
  /** Replace the working message's text (first call creates it). */
  update(text: string): Promise<void>;
  /** Keep a platform "uploading photo/video" indicator alive. */
  action(kind: 'typing' | 'upload_photo' | 'upload_video' | 'record_video'): void;
}

export const reply = {
  text(text: string, buttons?: ReplyButton[][]): Reply {
    return { parts: [{ type: 'text', text, ...(buttons ? { buttons } : {}) }] };
  },
  privateText(text: string): Reply {
    return { parts: [{ type: 'text', text }], private: true };
  },
  media(media: MediaSource, caption?: string, buttons?: ReplyButton[][]): Reply {
    return { parts: [{ type: 'media', media, ...(caption ? { caption } : {}), ...(buttons ? { buttons } : {}) }] };
  },
  album(items: AlbumItem[]): Reply {
    return { parts: [{ type: 'album', items }] };
  },
  many(...replies: Reply[]): Reply {
    return { parts: replies.flatMap((r) => r.parts), private: replies.some((r) => r.private) };
  },
  /** The same reply with every button marked as asked for by `userId` (see ButtonAction.requestedBy). */
  requestedBy(original: Reply, userId: string): Reply {
    const mark = (rows: ReplyButton[][] | undefined): ReplyButton[][] | undefined =>
      rows?.map((row) => row.map((button) => ({ ...button, action: { ...button.action, requestedBy: userId } })));
    const parts = original.parts.map((part): ReplyPart => {
      if (part.type === 'album' || part.buttons === undefined) return part;
      return { ...part, buttons: mark(part.buttons) ?? [] };
    });
    return { ...original, parts };
  },
};
