import { isDeepStrictEqual } from 'node:util';
import { BotApiError } from './bot-api-error.js';
import type { FileKind } from './ids.js';
import { mediaJson, resolveMedia } from './media.js';
import type { MethodContext } from './method-context.js';
import { renderText } from './text-format.js';
import type { FakeMessage, Params } from './types.js';

const MAX_TEXT = 4096;
const MAX_CAPTION = 1024;

/** Inline keyboards are echoed back on the message; reply keyboards are not. */
function inlineMarkup(params: Params): Record<string, unknown> {
  const markup = params['reply_markup'];
  if (markup === undefined) return {};
  if (typeof markup !== 'object' || markup === null || Array.isArray(markup)) {
    throw new BotApiError(400, "Bad Request: can't parse reply keyboard markup JSON object");
  }
  if (!('inline_keyboard' in markup)) return {};
  const rows = markup.inline_keyboard;
  if (!Array.isArray(rows) || !rows.every((r) => Array.isArray(r))) {
    throw new BotApiError(400, 'Bad Request: field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays');
  }
  for (const row of rows) {
    for (const button of row as unknown[]) {
      if (typeof button !== 'object' || button === null || !('text' in button)) {
        throw new BotApiError(400, "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
      }
      const data = 'callback_data' in button ? button.callback_data : undefined;
      if (typeof data === 'string' && (Buffer.byteLength(data) > 64 || data === '')) {
        throw new BotApiError(400, 'Bad Request: BUTTON_DATA_INVALID');
      }
    }
  }
  return { reply_markup: { inline_keyboard: rows } };
}

function visibleText(params: Params, key: 'text' | 'caption'): string | undefined {
  const raw = params[key];
  if (raw === undefined) return undefined;
  const text = renderText(String(raw), params['parse_mode']);
  if (key === 'text' && text.trim() === '') throw new BotApiError(400, 'Bad Request: message text is empty');
  if (key === 'text' && text.length > MAX_TEXT) throw new BotApiError(400, 'Bad Request: message is too long');
  if (key === 'caption' && text.length > MAX_CAPTION) throw new BotApiError(400, 'Bad Request: message caption is too long');
  return text;
}

function replyTo(ctx: MethodContext, chatId: number): Record<string, unknown> {
  const p = ctx.params['reply_parameters'];
  const id = typeof p === 'object' && p !== null && 'message_id' in p ? p.message_id : ctx.params['reply_to_message_id'];
  if (id === undefined) return {};
  const target = ctx.store.findMessage(chatId, id);
  if (target === undefined) throw new BotApiError(400, 'Bad Request: message to be replied not found');
  return { reply_to_message: target };
}

function newBotMessage(ctx: MethodContext, content: Record<string, unknown>): FakeMessage {
  const chat = ctx.store.chatForSend(ctx.params['chat_id']);
  const extra = replyTo(ctx, chat.id);
  return ctx.store.addMessage(chat.id, (messageId) => ({
    message_id: messageId,
    from: ctx.store.bot,
    chat,
    date: ctx.nowSeconds(),
    ...extra,
    ...content,
  }));
}

export function sendMessage(ctx: MethodContext): FakeMessage {
  const text = visibleText(ctx.params, 'text');
  if (text === undefined) throw new BotApiError(400, 'Bad Request: message text is empty');
  return newBotMessage(ctx, { text, ...inlineMarkup(ctx.params) });
}

/** sendPhoto, sendVideo, sendDocument…: `param` names both the parameter and the file kind. */
export function sendMedia(ctx: MethodContext, kind: FileKind): FakeMessage {
  ctx.store.chatForSend(ctx.params['chat_id']);
  const caption = visibleText(ctx.params, 'caption');
  const markup = inlineMarkup(ctx.params);
  const { stored, input } = resolveMedia(ctx.store, ctx.params, ctx.files, kind, kind, ctx.limits);
  ctx.media.push(input);
  const extras = kind === 'video' ? videoCover(ctx) : {};
  const json = mediaJson(ctx.store, stored, ctx.params);
  return newBotMessage(ctx, {
    ...json,
    ...withVideoExtras(json, extras),
    ...(caption !== undefined ? { caption } : {}),
    ...markup,
  });
}

const THUMBNAIL_MAX_BYTES = 200 * 1000;

function withVideoExtras(json: Record<string, unknown>, extras: Record<string, unknown>): Record<string, unknown> {
  const video = json['video'];
  if (Object.keys(extras).length === 0 || typeof video !== 'object' || video === null) return {};
  return { video: { ...video, ...extras } };
}

/**
 * sendVideo's `thumbnail` (a new upload only, under 200 kB) and `cover` (Bot API 8.3: an
 * upload, a file id or a URL of a photo). Returns what Telegram echoes on the video.
 */
function videoCover(ctx: MethodContext): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const thumbnail = ctx.params['thumbnail'];
  if (thumbnail !== undefined) {
    if (typeof thumbnail !== 'string' || !thumbnail.startsWith('attach://'))
      throw new BotApiError(400, 'Bad Request: thumbnail must be uploaded as a new file');
    const file = ctx.files.find((f) => f.partName === thumbnail.slice('attach://'.length));
    if (file === undefined) throw new BotApiError(400, `Bad Request: file ${thumbnail} not found`);
    if (file.size >= THUMBNAIL_MAX_BYTES) throw new BotApiError(400, 'Bad Request: thumbnail is too big');
    ctx.media.push({ param: 'thumbnail', source: 'upload', file });
    out['thumbnail'] = {
      file_id: `thumb-${file.sha256.slice(0, 16)}`,
      file_unique_id: file.sha256.slice(0, 16),
      file_size: file.size,
      width: 320,
      height: 180,
    };
  }
  if (ctx.params['cover'] !== undefined) {
    const { stored, input } = resolveMedia(ctx.store, ctx.params, ctx.files, 'cover', 'photo', ctx.limits);
    ctx.media.push(input);
    out['cover'] = [{ file_id: ctx.store.aliasFile(stored), file_unique_id: stored.fileUniqueId, file_size: stored.size, width: 1280, height: 720 }];
  }
  return out;
}

/**
 * sendMediaGroup: 2 to 10 photos or videos (`media` is a JSON array of InputMedia, each
 * `media` an `attach://`, file id or URL). Answers one message per item, sharing a
 * `media_group_id`; only the items' own captions are kept.
 */
export function sendMediaGroup(ctx: MethodContext): FakeMessage[] {
  ctx.store.chatForSend(ctx.params['chat_id']);
  const items = ctx.params['media'];
  if (!Array.isArray(items) || items.length < 2 || items.length > 10) {
    throw new BotApiError(400, 'Bad Request: wrong number of media in the group: must be 2-10');
  }
  const groupId = `${ctx.nowSeconds()}${Math.floor(Math.random() * 1e9)}`;
  const prepared = items.map((item: unknown, index) => {
    if (typeof item !== 'object' || item === null || !('type' in item) || !('media' in item)) {
      throw new BotApiError(400, `Bad Request: can't parse InputMedia at index ${index}`);
    }
    const kind = item.type;
    if (kind !== 'photo' && kind !== 'video') throw new BotApiError(400, `Bad Request: media type ${String(kind)} is not allowed in this group`);
    const itemParams: Params = { ...item };
    const { stored, input } = resolveMedia(ctx.store, itemParams, ctx.files, 'media', kind, ctx.limits);
    ctx.media.push({ ...input, param: `media[${index}].media` });
    const caption = visibleText(itemParams, 'caption');
    return { stored, itemParams, caption };
  });
  return prepared.map(({ stored, itemParams, caption }) =>
    newBotMessage(ctx, {
      media_group_id: groupId,
      ...mediaJson(ctx.store, stored, itemParams),
      ...(caption !== undefined ? { caption } : {}),
    }),
  );
}

function editTarget(ctx: MethodContext, action: 'edit'): FakeMessage {
  const message = ctx.store.findMessage(ctx.params['chat_id'], ctx.params['message_id']);
  if (message === undefined) throw new BotApiError(400, `Bad Request: message to ${action} not found`);
  const from = message['from'];
  const byBot = typeof from === 'object' && from !== null && 'id' in from && from.id === ctx.store.bot.id;
  if (!byBot) throw new BotApiError(400, "Bad Request: message can't be edited");
  return message;
}

function applyEdit(ctx: MethodContext, before: FakeMessage, changes: Record<string, unknown>): FakeMessage {
  const { reply_markup: _old, edit_date: _date, ...rest } = before;
  const after: FakeMessage = { ...rest, ...changes, chat: before.chat, message_id: before.message_id, date: before.date };
  const same = (a: FakeMessage, b: FakeMessage): boolean => {
    const { edit_date: _a, ...x } = a;
    const { edit_date: _b, ...y } = b;
    return isDeepStrictEqual(x, y);
  };
  if (same(before, after)) {
    throw new BotApiError(
      400,
      'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
    );
  }
  const edited: FakeMessage = { ...after, edit_date: ctx.nowSeconds() };
  ctx.store.replaceMessage(edited);
  return edited;
}

/** Inline-message edits answer `true`; the fake does not track inline messages. */
function isInline(ctx: MethodContext): boolean {
  return typeof ctx.params['inline_message_id'] === 'string';
}

export function editMessageText(ctx: MethodContext): FakeMessage | true {
  const text = visibleText(ctx.params, 'text');
  if (text === undefined) throw new BotApiError(400, 'Bad Request: message text is empty');
  if (isInline(ctx)) return true;
  const before = editTarget(ctx, 'edit');
  if (typeof before['text'] !== 'string') throw new BotApiError(400, 'Bad Request: there is no text in the message to edit');
  return applyEdit(ctx, before, { text, ...inlineMarkup(ctx.params) });
}

export function editMessageCaption(ctx: MethodContext): FakeMessage | true {
  const caption = visibleText(ctx.params, 'caption');
  if (isInline(ctx)) return true;
  const before = editTarget(ctx, 'edit');
  if (typeof before['text'] === 'string') throw new BotApiError(400, 'Bad Request: there is no caption in the message to edit');
  const { caption: _c, ...rest } = before;
  return applyEdit(
    ctx,
    { ...rest, message_id: before.message_id, chat: before.chat, date: before.date },
    {
      ...(caption !== undefined ? { caption } : {}),
      ...inlineMarkup(ctx.params),
    },
  );
}

export function editMessageReplyMarkup(ctx: MethodContext): FakeMessage | true {
  if (isInline(ctx)) return true;
  const before = editTarget(ctx, 'edit');
  return applyEdit(ctx, before, inlineMarkup(ctx.params));
}

export function deleteMessage(ctx: MethodContext): true {
  if (!ctx.store.deleteMessage(ctx.params['chat_id'], ctx.params['message_id'])) {
    throw new BotApiError(400, 'Bad Request: message to delete not found');
  }
  return true;
}

export function deleteMessages(ctx: MethodContext): true {
  const ids = ctx.params['message_ids'];
  if (!Array.isArray(ids)) throw new BotApiError(400, 'Bad Request: message identifiers are not specified');
  for (const id of ids) ctx.store.deleteMessage(ctx.params['chat_id'], id);
  return true;
}

function sourceMessage(ctx: MethodContext, verb: 'copy' | 'forward'): FakeMessage {
  const source = ctx.store.findMessage(ctx.params['from_chat_id'], ctx.params['message_id']);
  if (source === undefined) throw new BotApiError(400, `Bad Request: message to ${verb} not found`);
  return source;
}

function content(message: FakeMessage): Record<string, unknown> {
  const { message_id: _id, from: _from, chat: _chat, date: _date, edit_date: _e, reply_to_message: _r, ...rest } = message;
  return rest;
}

export function copyMessage(ctx: MethodContext): { message_id: number } {
  const source = sourceMessage(ctx, 'copy');
  const caption = visibleText(ctx.params, 'caption');
  const copied = newBotMessage(ctx, {
    ...content(source),
    ...(caption !== undefined ? { caption } : {}),
    ...inlineMarkup(ctx.params),
  });
  return { message_id: copied.message_id };
}

export function forwardMessage(ctx: MethodContext): FakeMessage {
  const source = sourceMessage(ctx, 'forward');
  const { reply_markup: _m, ...rest } = content(source);
  return newBotMessage(ctx, {
    ...rest,
    forward_origin: { type: 'user', sender_user: source['from'], date: source.date },
  });
}
