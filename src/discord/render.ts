/**
 * Reply → Discord message bodies, sent in order through a `post` function the caller gives
 * (an interaction edit/follow-up, or a channel message). Text is escaped and split at 2000
 * characters; buttons become components whose `custom_id` is an ActionStore id; media is an
 * attachment streamed from its source within the upload limit (src/discord/upload-body.ts).
 * Media over the limit, or refused by Discord as too large, is replaced by its fallback (the
 * thumbnail) with a note, never retried as is.
 */
import type { APIActionRowComponent, APIButtonComponent } from 'discord.js';
import type { AlbumItem, MediaSource, Reply, ReplyButton, ReplyPart } from '../core/reply.js';
import type { Logger } from '../log.js';
import type { ActionStore } from '../core/action-store.js';
import { isTooLarge } from './delivery-error.js';
import { escapeAndSplit, escapeCaption } from './markdown.js';
import { UploadTooLargeError } from '../core/upload-limit.js';
import { tooLargeNote } from './too-large-note.js';
import { buttonId } from './modals.js';
import { AttachmentTooLargeError, type UploadFile, type UploadLimits } from './upload-body.js';

/** One message to send: what both interaction and channel routes accept. */
export interface OutgoingMessage {
  content: string;
  components: APIActionRowComponent<APIButtonComponent>[];
  /** Attachments; their bytes are read while the message is sent (never held whole). */
  files: UploadFile[];
  /** Where the attachments may be at most this big, and when to stop reading them. */
  limits: UploadLimits;
}

/** A message as the renderer builds it; renderReply adds the target's limits. */
type Draft = Omit<OutgoingMessage, 'limits'>;

/** Sends one message and returns its id. Throws Discord errors unchanged. */
export type PostMessage = (message: OutgoingMessage, index: number) => Promise<string>;

export interface RenderDeps {
  actions: ActionStore;
  log: Logger;
}

export interface RenderTarget {
  /** Allowlist key of the chat; buttons are bound to it. */
  chatId: string;
  uploadLimitBytes: number;
  signal?: AbortSignal;
}

const MAX_ROWS = 5;
const MAX_ATTACHMENTS = 10;
const MAX_BUTTONS_PER_ROW = 5;
const LABEL_LIMIT = 80;
const BUTTON_SECONDARY = 2;
const COMPONENT_ROW = 1;
const COMPONENT_BUTTON = 2;

function components(deps: RenderDeps, chatId: string, buttons: ReplyButton[][] | undefined): OutgoingMessage['components'] {
  return (buttons ?? [])
    .filter((row) => row.length > 0)
    .slice(0, MAX_ROWS)
    .map((row) => ({
      type: COMPONENT_ROW,
      components: row.slice(0, MAX_BUTTONS_PER_ROW).map((button) => ({
        type: COMPONENT_BUTTON,
        style: BUTTON_SECONDARY,
        label: button.label.slice(0, LABEL_LIMIT),
        custom_id: buttonId(deps.actions.put(button.action, chatId, button.input)),
      })),
    }));
}

/** Sends every part of `reply` in order; returns the message ids. */
export async function renderReply(deps: RenderDeps, reply: Reply, target: RenderTarget, post: PostMessage): Promise<string[]> {
  const ids: string[] = [];
  const limits: UploadLimits = { limitBytes: target.uploadLimitBytes, ...(target.signal ? { signal: target.signal } : {}) };
  const send = async (message: Draft): Promise<string> => {
    const id = await post({ ...message, limits }, ids.length);
    ids.push(id);
    return id;
  };
  for (const part of reply.parts) {
    if (part.type === 'text') {
      const pieces = escapeAndSplit(part.text);
      for (const [index, piece] of pieces.entries()) {
        const last = index === pieces.length - 1;
        await send({ content: piece, components: last ? components(deps, target.chatId, part.buttons) : [], files: [] });
      }
    } else if (part.type === 'album') {
      await sendAlbum(part, target, send);
    } else {
      await sendMedia(deps, part, target, send);
    }
  }
  return ids;
}

async function sendMedia(
  deps: RenderDeps,
  part: Extract<ReplyPart, { type: 'media' }>,
  target: RenderTarget,
  send: (message: Draft) => Promise<string>,
): Promise<void> {
  const { media } = part;
  const rows = components(deps, target.chatId, part.buttons);
  let note: string;
  try {
    await send({ content: escapeCaption(part.caption ?? ''), components: rows, files: [{ name: media.filename, media }] });
    return;
  } catch (err) {
    if (!isTooLarge(err)) throw err;
    const size = err instanceof UploadTooLargeError ? err.sizeBytes : media.sizeBytes;
    note = tooLargeNote(media, size, target.uploadLimitBytes);
    deps.log.info(
      { filename: media.filename, sizeBytes: size, limitBytes: target.uploadLimitBytes },
      'media over the Discord upload limit; sending the fallback',
    );
  }
  await sendFallback(deps, part, note, rows, send);
}

/**
 * One message with the pictures as attachments (at most 10 per message, Discord's limit),
 * their captions as the text. A picture over the limit (announced, or found while sending)
 * is left out with a note and the message sent again without it.
 */
async function sendAlbum(part: Extract<ReplyPart, { type: 'album' }>, target: RenderTarget, send: (message: Draft) => Promise<string>): Promise<void> {
  for (let start = 0; start < part.items.length; start += MAX_ATTACHMENTS) {
    const items = part.items.slice(start, start + MAX_ATTACHMENTS);
    const tooLarge = new Set<AlbumItem>(items.filter((item) => item.media.sizeBytes !== undefined && item.media.sizeBytes > target.uploadLimitBytes));
    for (;;) {
      const lines: string[] = [];
      const sent: AlbumItem[] = [];
      const files: UploadFile[] = [];
      for (const item of items) {
        if (tooLarge.has(item)) {
          lines.push(`${item.caption ?? item.media.filename}: too large to send here`);
          continue;
        }
        // Distinct names: Discord shows attachments by name, and two cameras may share one.
        files.push({ name: `${files.length + 1}-${item.media.filename}`, media: item.media });
        sent.push(item);
        lines.push(item.caption ?? item.media.filename);
      }
      try {
        await send({ content: escapeCaption(lines.join('\n')), components: [], files });
        break;
      } catch (err) {
        const item = err instanceof AttachmentTooLargeError ? sent[err.index] : undefined;
        if (item === undefined) throw err;
        tooLarge.add(item);
      }
    }
  }
}

async function sendFallback(
  deps: RenderDeps,
  part: Extract<ReplyPart, { type: 'media' }>,
  note: string,
  rows: OutgoingMessage['components'],
  send: (message: Draft) => Promise<string>,
): Promise<void> {
  const fallback: MediaSource | undefined = part.media.fallback;
  const caption = escapeCaption([part.caption, note, fallback?.note].filter(Boolean).join('\n\n'));
  if (fallback !== undefined) {
    try {
      await send({ content: caption, components: rows, files: [{ name: fallback.filename, media: fallback }] });
      return;
    } catch (err) {
      if (!isTooLarge(err)) throw err;
      deps.log.info({ filename: fallback.filename }, 'fallback also over the Discord upload limit; sending the note alone');
    }
  }
  await send({ content: caption, components: rows, files: [] });
}
