import { BotApiError } from './bot-api-error.js';
import type { MethodContext } from './method-context.js';
import {
  copyMessage,
  deleteMessage,
  deleteMessages,
  editMessageCaption,
  editMessageReplyMarkup,
  editMessageText,
  forwardMessage,
  sendMedia,
  sendMediaGroup,
  sendMessage,
} from './methods-messages.js';

type Handler = (ctx: MethodContext) => unknown;

function commandsKey(ctx: MethodContext): string {
  const scope = ctx.params['scope'];
  const lang = ctx.params['language_code'];
  return `${JSON.stringify(scope ?? { type: 'default' })}|${typeof lang === 'string' ? lang : ''}`;
}

function answerCallbackQuery(ctx: MethodContext): true {
  const id = ctx.params['callback_query_id'];
  const query = typeof id === 'string' ? ctx.callbackQueries.get(id) : undefined;
  if (query === undefined || query.answered) {
    throw new BotApiError(400, 'Bad Request: query is too old and response timeout expired or query ID is invalid');
  }
  query.answered = true;
  return true;
}

function getFile(ctx: MethodContext): Record<string, unknown> {
  const id = ctx.params['file_id'];
  const file = typeof id === 'string' ? ctx.store.file(id) : undefined;
  if (file === undefined || typeof id !== 'string') throw new BotApiError(400, 'Bad Request: invalid file_id');
  return { file_id: id, file_unique_id: file.fileUniqueId, file_size: file.size, file_path: file.filePath };
}

function getChat(ctx: MethodContext): Record<string, unknown> {
  const id = ctx.params['chat_id'];
  const chat = typeof id === 'number' ? ctx.store.knownChat(id) : undefined;
  if (chat === undefined) throw new BotApiError(400, 'Bad Request: chat not found');
  return { ...chat, accent_color_id: 0, max_reaction_count: 11 };
}

const HANDLERS: Record<string, Handler> = {
  getMe: (ctx) => ({
    ...ctx.store.bot,
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
  }),
  logOut: () => true,
  close: () => true,
  deleteWebhook: (ctx) => {
    ctx.webhook.url = '';
    if (ctx.params['drop_pending_updates'] === true) ctx.queue.dropAll();
    return true;
  },
  setWebhook: (ctx) => {
    const url = ctx.params['url'];
    ctx.webhook.url = typeof url === 'string' ? url : '';
    return true;
  },
  getWebhookInfo: (ctx) => ({
    url: ctx.webhook.url,
    has_custom_certificate: false,
    pending_update_count: ctx.queue.pendingCount(),
  }),
  setMyCommands: (ctx) => {
    const commands = ctx.params['commands'];
    if (!Array.isArray(commands)) throw new BotApiError(400, 'Bad Request: commands must be an array');
    for (const c of commands) {
      const name = typeof c === 'object' && c !== null && 'command' in c ? c.command : undefined;
      if (typeof name !== 'string' || !/^[a-z0-9_]{1,32}$/.test(name)) {
        throw new BotApiError(400, 'Bad Request: BOT_COMMAND_INVALID');
      }
    }
    ctx.commands.set(commandsKey(ctx), commands);
    return true;
  },
  getMyCommands: (ctx) => ctx.commands.get(commandsKey(ctx)) ?? [],
  deleteMyCommands: (ctx) => {
    ctx.commands.delete(commandsKey(ctx));
    return true;
  },
  sendMessage,
  sendPhoto: (ctx) => sendMedia(ctx, 'photo'),
  sendVideo: (ctx) => sendMedia(ctx, 'video'),
  sendDocument: (ctx) => sendMedia(ctx, 'document'),
  sendAnimation: (ctx) => sendMedia(ctx, 'animation'),
  sendAudio: (ctx) => sendMedia(ctx, 'audio'),
  sendMediaGroup,
  sendVoice: (ctx) => sendMedia(ctx, 'voice'),
  editMessageText,
  editMessageCaption,
  editMessageReplyMarkup,
  deleteMessage,
  deleteMessages,
  copyMessage,
  forwardMessage,
  sendChatAction: (ctx) => {
    ctx.store.chatForSend(ctx.params['chat_id']);
    return true;
  },
  answerCallbackQuery,
  getFile,
  getChat,
};

/**
 * Runs one Bot API method against the fake's state. Methods the fake does not model
 * answer `true`, so new calls in the bot do not break tests; they are still recorded.
 */
export function runMethod(method: string, ctx: MethodContext): unknown {
  const handler = HANDLERS[canonicalMethod(method)];
  return handler === undefined ? true : handler(ctx);
}

const CANONICAL = new Map(Object.keys(HANDLERS).map((m) => [m.toLowerCase(), m]));

/** Bot API method names are case-insensitive; this maps `sendmessage` to `sendMessage`. */
export function canonicalMethod(method: string): string {
  return CANONICAL.get(method.toLowerCase()) ?? (method.toLowerCase() === 'getupdates' ? 'getUpdates' : method);
}
