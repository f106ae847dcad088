/**
 * Reply → Telegram messages. Text goes out as HTML (escaped here), buttons as inline
 * keyboards whose callback data are ActionStore tokens, media as streamed uploads (or by a
 * cached file id). Media over the upload limit, or refused by Telegram as too big or of the
 * wrong type, is replaced by its fallback (the thumbnail) with a note, never retried as is.
 */
import { GrammyError, HttpError, type InputFile, type Api } from 'grammy';
import type { InlineKeyboardMarkup, Message } from 'grammy/types';
import type { Clock } from '../clock.js';
import type { MediaSource, Reply, ReplyButton, ReplyPart } from '../core/reply.js';
import type { SentMessage } from '../core/sender.js';
import type { Logger } from '../log.js';
import type { ActionStore } from '../core/action-store.js';
import { keepChatAction } from './chat-action.js';
import { isMediaRejected } from './delivery-error.js';
import { grammySignal } from './grammy-signal.js';
import type { FileIdCache } from './file-id-cache.js';
import { escapeAndSplit, escapeCaption } from './html.js';
import { actionChat, callbackData } from './map-update.js';
import { limitedInputFile, UploadTooLargeError } from './upload-limit.js';
import { coverBytes, coverFields, coverFieldsBeside, isCoverUnavailable, openedEarly } from './video-cover.js';

export interface RendererDeps {
  api: Api;
  actions: ActionStore;
  fileIds: FileIdCache;
  uploadLimitBytes: number;
  clock: Clock;
  log: Logger;
}

interface RenderOptions {
  signal?: AbortSignal;
  /** A "working…" message to turn into the reply when the reply is text only. */
  workingMessageId?: number;
}

export interface Renderer {
  /** Sends every part in order. Throws grammY errors (GrammyError / HttpError) unchanged. */
  render(chatId: number, reply: Reply, options?: RenderOptions): Promise<SentMessage>;
}

interface Common {
  parse_mode: 'HTML';
  disable_notification?: boolean;
  reply_markup?: InlineKeyboardMarkup;
}

export function createRenderer(deps: RendererDeps): Renderer {
  const keyboard = (chatId: number, buttons: ReplyButton[][] | undefined): InlineKeyboardMarkup | undefined => {
    const rows = (buttons ?? []).filter((row) => row.length > 0);
    if (rows.length === 0) return undefined;
    return {
      inline_keyboard: rows.map((row) =>
        row.map((button) => ({ text: button.label, callback_data: callbackData(deps.actions.put(button.action, actionChat(chatId), button.input)) })),
      ),
    };
  };

  const common = (silent: boolean | undefined, markup: InlineKeyboardMarkup | undefined): Common => ({
    parse_mode: 'HTML',
    ...(silent ? { disable_notification: true } : {}),
    ...(markup ? { reply_markup: markup } : {}),
  });

  async function sendText(
    chatId: number,
    part: Extract<ReplyPart, { type: 'text' }>,
    silent: boolean | undefined,
    editId: number | undefined,
    signal: AbortSignal | undefined,
  ): Promise<string[]> {
    const chunks = escapeAndSplit(part.text);
    const ids: string[] = [];
    for (const [index, chunk] of chunks.entries()) {
      const last = index === chunks.length - 1;
      const options = { ...common(silent, last ? keyboard(chatId, part.buttons) : undefined), link_preview_options: { is_disabled: true } };
      if (index === 0 && editId !== undefined) {
        try {
          await deps.api.editMessageText(chatId, editId, chunk, options, grammySignal(signal));
          ids.push(String(editId));
          continue;
        } catch (err) {
          // The working message may be gone (deleted by the user): then send a new one.
          if (!(err instanceof GrammyError) || err.error_code !== 400) throw err;
          deps.log.debug({ chatId, reason: err.description }, 'could not edit the working message');
        }
      }
      const message = await deps.api.sendMessage(chatId, chunk, options, grammySignal(signal));
      ids.push(String(message.message_id));
    }
    return ids;
  }

  /** Sends `media` by its cached file id, or uploads it streamed (each attempt opens it anew). */
  async function sendMedia(
    chatId: number,
    media: MediaSource,
    cached: string | undefined,
    caption: string | undefined,
    options: Common,
    signal: AbortSignal | undefined,
  ): Promise<Message.PhotoMessage | Message.VideoMessage> {
    const withCaption = caption !== undefined ? { ...options, caption: escapeCaption(caption) } : options;
    const upload = (source: MediaSource): InputFile => limitedInputFile(source, deps.uploadLimitBytes, signal);
    if (media.kind === 'photo') return deps.api.sendPhoto(chatId, cached ?? upload(media), withCaption, grammySignal(signal));
    const video = { ...withCaption, supports_streaming: true };
    if (media.cover === undefined) return deps.api.sendVideo(chatId, cached ?? upload(media), video, grammySignal(signal));
    // An upload opens the video first and streams it while the cover downloads (video-cover.ts).
    const early = cached === undefined ? openedEarly(media, signal) : undefined;
    const cover = coverBytes(media.cover, signal, deps.log);
    try {
      const fields = early ? await coverFieldsBeside(cover, early.ready) : coverFields(await cover);
      try {
        return await deps.api.sendVideo(chatId, cached ?? upload(early?.source ?? media), { ...video, ...fields }, grammySignal(signal));
      } catch (err) {
        // A cover Telegram does not like, or a late one that failed, must not cost the alert.
        const refused = err instanceof GrammyError && err.error_code === 400;
        if (fields.cover === undefined || (!refused && !isCoverUnavailable(err))) throw err;
        deps.log.info({ reason: refused ? err.description : 'cover download failed' }, 'sending the video without its cover');
        return deps.api.sendVideo(chatId, cached ?? upload(media), video, grammySignal(signal));
      }
    } finally {
      early?.release();
    }
  }

  /** Album pictures in groups of at most 10 (Telegram's limit); a group of one is a photo. */
  async function sendAlbum(
    chatId: number,
    part: Extract<ReplyPart, { type: 'album' }>,
    silent: boolean | undefined,
    signal: AbortSignal | undefined,
  ): Promise<string[]> {
    const ids: string[] = [];
    const fitting = part.items.filter((item) => item.media.sizeBytes === undefined || item.media.sizeBytes <= deps.uploadLimitBytes);
    for (let start = 0; start < fitting.length; start += MEDIA_GROUP_MAX) {
      const group = fitting.slice(start, start + MEDIA_GROUP_MAX);
      const [only] = group;
      if (group.length === 1 && only !== undefined) {
        ids.push(await sendMediaPart(chatId, { type: 'media', media: only.media, ...(only.caption ? { caption: only.caption } : {}) }, silent, signal, {}));
        continue;
      }
      const stopAction = keepChatAction({ ...deps, signal }, chatId, 'upload_photo');
      try {
        const media = group.map((item) => ({
          type: 'photo' as const,
          media: limitedInputFile(item.media, deps.uploadLimitBytes, signal),
          ...(item.caption ? { caption: escapeCaption(item.caption), parse_mode: 'HTML' as const } : {}),
        }));
        const sent = await deps.api.sendMediaGroup(chatId, media, silent ? { disable_notification: true } : {}, grammySignal(signal));
        ids.push(...sent.map((m) => String(m.message_id)));
      } finally {
        stopAction();
      }
    }
    return ids;
  }

  const fileIdOf = (message: Message.PhotoMessage | Message.VideoMessage): string | undefined =>
    'video' in message ? message.video.file_id : message.photo.at(-1)?.file_id;

  async function sendFallback(
    chatId: number,
    part: Extract<ReplyPart, { type: 'media' }>,
    note: string,
    options: Common,
    signal: AbortSignal | undefined,
  ): Promise<string> {
    const caption = [part.caption, note].filter(Boolean).join('\n\n');
    const fallback = part.media.fallback;
    if (fallback !== undefined && (fallback.sizeBytes === undefined || fallback.sizeBytes <= deps.uploadLimitBytes)) {
      try {
        const message = await sendMedia(chatId, fallback, undefined, caption, options, signal);
        return String(message.message_id);
      } catch (err) {
        if (!isTooLarge(err) && !isMediaRejected(err)) throw err;
      }
    }
    const message = await deps.api.sendMessage(chatId, escapeCaption(caption), options, grammySignal(signal));
    return String(message.message_id);
  }

  async function sendMediaPart(
    chatId: number,
    part: Extract<ReplyPart, { type: 'media' }>,
    silent: boolean | undefined,
    signal: AbortSignal | undefined,
    fileIds: Record<string, string>,
  ): Promise<string> {
    const { media } = part;
    const options = common(silent, keyboard(chatId, part.buttons));
    const key = media.cacheKey;
    const cached = key !== undefined ? deps.fileIds.get(key) : undefined;
    if (key !== undefined && cached !== undefined) {
      try {
        const message = await sendMedia(chatId, media, cached, part.caption, options, signal);
        fileIds[key] = cached;
        return String(message.message_id);
      } catch (err) {
        if (!(err instanceof GrammyError) || err.error_code !== 400) throw err;
        deps.log.info({ cacheKey: key, reason: err.description }, 'cached Telegram file id refused; uploading again');
        deps.fileIds.forget(key);
      }
    }
    if (media.sizeBytes !== undefined && media.sizeBytes > deps.uploadLimitBytes) {
      return sendFallback(chatId, part, tooLargeNote(media, media.sizeBytes, deps.uploadLimitBytes), options, signal);
    }
    const stopAction = keepChatAction({ ...deps, signal }, chatId, media.kind === 'photo' ? 'upload_photo' : 'upload_video');
    try {
      const message = await sendMedia(chatId, media, undefined, part.caption, options, signal);
      const fileId = fileIdOf(message);
      if (key !== undefined && fileId !== undefined) {
        deps.fileIds.set(key, fileId);
        fileIds[key] = fileId;
      }
      return String(message.message_id);
    } catch (err) {
      const tooLarge = tooLargeError(err);
      if (tooLarge !== undefined) {
        return sendFallback(chatId, part, tooLargeNote(media, tooLarge.sizeBytes, deps.uploadLimitBytes), options, signal);
      }
      if (isMediaRejected(err)) {
        deps.log.warn({ reason: err instanceof GrammyError ? err.description : undefined }, 'Telegram refused the media');
        return sendFallback(chatId, part, `Telegram refused this ${media.kind === 'video' ? 'clip' : 'picture'}.`, options, signal);
      }
      throw err;
    } finally {
      stopAction();
    }
  }

  return {
    async render(chatId, reply, options = {}) {
      const { signal } = options;
      const messageIds: string[] = [];
      const fileIds: Record<string, string> = {};
      const textOnly = reply.parts.every((part) => part.type === 'text');
      let editId = textOnly ? options.workingMessageId : undefined;
      if (!textOnly && options.workingMessageId !== undefined) {
        // A media reply comes as new messages; the stale "working…" line would only confuse.
        await deps.api.deleteMessage(chatId, options.workingMessageId).catch(() => undefined);
      }
      for (const part of reply.parts) {
        if (part.type === 'text') {
          messageIds.push(...(await sendText(chatId, part, reply.silent, editId, signal)));
          editId = undefined;
        } else if (part.type === 'album') {
          messageIds.push(...(await sendAlbum(chatId, part, reply.silent, signal)));
        } else {
          messageIds.push(await sendMediaPart(chatId, part, reply.silent, signal, fileIds));
        }
      }
      return { messageIds, ...(Object.keys(fileIds).length > 0 ? { fileIds } : {}) };
    },
  };
}

/** Telegram's largest media group. */
const MEDIA_GROUP_MAX = 10;
/** The limit error, whether thrown directly or wrapped by grammY's network layer. */
function tooLargeError(err: unknown): UploadTooLargeError | undefined {
  if (err instanceof UploadTooLargeError) return err;
  if (err instanceof HttpError && err.error instanceof UploadTooLargeError) return err.error;
  return undefined;
}

function isTooLarge(err: unknown): boolean {
  return tooLargeError(err) !== undefined;
}

function megabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return mb >= 10 ? mb.toFixed(0) : mb.toFixed(1);
}

function tooLargeNote(media: MediaSource, sizeBytes: number | undefined, limitBytes: number): string {
  const what = media.kind === 'video' ? 'clip' : 'picture';
  const size = sizeBytes !== undefined ? `${megabytes(sizeBytes)} MB` : `over ${megabytes(limitBytes)} MB`;
  return `This ${what} is too large to send here (${size}; the limit is ${megabytes(limitBytes)} MB).`;
}
