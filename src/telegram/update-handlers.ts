/**
 * Telegram updates → Inbound → dispatcher → rendered Outcome. No command logic lives here.
 *
 * grammY's built-in polling awaits each update before fetching the next, so a slow command
 * (a clip upload) would stall every chat. Handlers therefore only enqueue work: one queue
 * per chat keeps a chat's messages in order (email before password), and chats run side
 * by side. `drain` lets shutdown wait for the queued work.
 */
import { GrammyError, HttpError, type Bot } from 'grammy';
import type { Clock } from '../clock.js';
import type { Caller, ChatContext, Dispatcher, InboundEvent, Outcome } from '../core/inbound.js';
import { reply } from '../core/reply.js';
import { describeError as describeUserError, EXPIRED_BUTTON_TEXT, FALLBACK_ERROR_TEXT } from '../core/user-error.js';
import type { Logger } from '../log.js';
import type { ActionStore } from '../core/action-store.js';
import { createStrangerGate } from '../core/stranger-gate.js';
import { actionChat, callbackToken, caller as callerOf, chatContext, eventFromText } from './map-update.js';
import { createChatProgress } from './progress.js';
import type { Renderer } from './render.js';

/** Jobs waiting per chat at most; more from the same chat are dropped (a flood, not a user). */
const MAX_QUEUED_PER_CHAT = 20;

export interface HandlerDeps {
  dispatcher: Dispatcher;
  renderer: Renderer;
  actions: ActionStore;
  clock: Clock;
  log: Logger;
  /** Aborted when the front end shuts down for good. */
  signal: AbortSignal;
}

export interface UpdateHandlers {
  /** Resolves when every queued and running job has finished. */
  drain(): Promise<void>;
  pending(): number;
}

interface Job {
  chatId: number;
  chat: ChatContext;
  caller: Caller;
  event: InboundEvent;
  /** The user's message, for Outcome.deleteInbound (buttons have none to delete). */
  inboundMessageId?: number;
}

export function installUpdateHandlers(bot: Bot, deps: HandlerDeps): UpdateHandlers {
  const { log } = deps;
  const chains = new Map<number, Promise<void>>();
  const running = new Set<Promise<void>>();
  const queued = new Map<number, number>();
  const strangers = createStrangerGate({ dispatcher: deps.dispatcher, clock: deps.clock });
  /** Plain text from a chat that is not served gets no answer at all (docs/security.md). */
  const admit = (chat: ChatContext, caller: Caller, event: InboundEvent): boolean => strangers.admit(chat, caller, event.type !== 'text');

  const enqueue = (chatId: number, work: () => Promise<void>): void => {
    const waiting = queued.get(chatId) ?? 0;
    if (waiting >= MAX_QUEUED_PER_CHAT) {
      log.warn({ chatId }, 'too many queued updates from one chat; dropping');
      return;
    }
    queued.set(chatId, waiting + 1);
    const previous = chains.get(chatId) ?? Promise.resolve();
    const next = previous.then(work).catch((err: unknown) => {
      log.error({ err: describeError(err), chatId }, 'telegram job failed');
    });
    chains.set(chatId, next);
    running.add(next);
    void next.finally(() => {
      const left = (queued.get(chatId) ?? 1) - 1;
      if (left > 0) queued.set(chatId, left);
      else queued.delete(chatId);
      running.delete(next);
      if (chains.get(chatId) === next) chains.delete(chatId);
    });
  };

  const handle = async (job: Job): Promise<void> => {
    const api = bot.api;
    const progress = createChatProgress({ api, clock: deps.clock, log, signal: deps.signal }, job.chatId, false);
    let outcome: Outcome;
    const messageId = job.inboundMessageId;
    let deleted = false;
    // A message that carried a secret (the Blink password) goes before any Blink call.
    const deleteMessage = async (): Promise<boolean> => {
      if (messageId === undefined) return false;
      deleted = await api.deleteMessage(job.chatId, messageId).then(
        () => true,
        (err: unknown) => {
          log.warn({ err: describeError(err), chat: job.chat.id }, 'could not delete a message holding a secret');
          return false;
        },
      );
      return deleted;
    };
    try {
      outcome = await deps.dispatcher.handle({
        chat: job.chat,
        caller: job.caller,
        event: job.event,
        progress,
        signal: deps.signal,
        ...(messageId !== undefined ? { deleteMessage } : {}),
      });
    } catch (err) {
      // The error boundary: the dispatcher should have turned errors into replies already,
      // so this is a bug or an outage. Log once here, reply once below.
      log.error({ err: describeError(err), chat: job.chat.id, event: job.event.type }, 'dispatch failed');
      outcome = { reply: reply.text(FALLBACK_ERROR_TEXT) };
    }
    if (outcome.deleteInbound && !deleted) await deleteMessage();
    await progress.finish();
    if (outcome.reply.parts.length === 0) return;
    const workingMessageId = progress.workingMessageId();
    try {
      await deps.renderer.render(job.chatId, outcome.reply, {
        signal: deps.signal,
        ...(workingMessageId !== undefined ? { workingMessageId } : {}),
      });
    } catch (err) {
      log.warn({ err: describeError(err), chat: job.chat.id }, 'reply could not be delivered');
      const apology = undeliveredReplyText(err);
      if (apology !== undefined) await api.sendMessage(job.chatId, apology).catch(() => undefined);
    }
  };

  bot.on('message', (ctx) => {
    const text = ctx.message.text;
    const from = ctx.from;
    const chat = chatContext(ctx.chat);
    if (text === undefined || chat === undefined || from.is_bot) return;
    const event = eventFromText(text, ctx.me.username, chat.kind);
    if (event === undefined) return;
    const chatId = ctx.chat.id;
    const inboundMessageId = ctx.message.message_id;
    if (!admit(chat, callerOf(from), event)) return;
    enqueue(chatId, () => handle({ chatId, chat, caller: callerOf(from), event, inboundMessageId }));
  });

  bot.on('callback_query', async (ctx) => {
    const query = ctx.callbackQuery;
    const message = query.message;
    const chat = message ? chatContext(message.chat) : undefined;
    const token = query.data !== undefined ? callbackToken(query.data) : undefined;
    const action = message && token !== undefined ? deps.actions.get(token, actionChat(message.chat.id)) : undefined;
    const answer = (text?: string): Promise<unknown> =>
      ctx.answerCallbackQuery(text ? { text } : undefined).catch((err: unknown) => {
        log.debug({ err: describeError(err) }, 'answerCallbackQuery failed');
      });
    if (message === undefined || chat === undefined || token === undefined || action === undefined) {
      await answer(EXPIRED_BUTTON_TEXT);
      return;
    }
    const chatId = message.chat.id;
    if (!admit(chat, callerOf(query.from), { type: 'button', command: action.command, args: {} })) {
      await answer();
      return;
    }
    if (action.input) {
      // Telegram has no forms: the value has to come as a typed message.
      await answer();
      const hint = `Type the ${lowerFirst(action.input.label)}, or send /${action.command} <${action.input.name}>`;
      enqueue(chatId, async () => {
        await bot.api.sendMessage(chatId, hint);
      });
      return;
    }
    // One press at a time: a double tap while the first still runs is only acknowledged.
    if (!deps.actions.claim(token)) {
      await answer();
      return;
    }
    await answer();
    const event: InboundEvent = { type: 'button', command: action.command, args: { ...action.args }, pressId: token };
    enqueue(chatId, () => handle({ chatId, chat, caller: callerOf(query.from), event }).finally(() => deps.actions.release(token)));
  });

  bot.catch((err) => {
    log.error({ err: describeError(err.error), updateId: err.ctx.update.update_id }, 'telegram update failed');
  });

  return {
    async drain() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
    pending: () => running.size,
  };
}

/** 'Code' → 'code', but '2FA code' stays: an acronym keeps its capitals. */
function lowerFirst(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? text[0]?.toLowerCase() + text.slice(1) : text;
}

/**
 * What a log line needs from an error: class, code and Telegram's description, never the
 * request payload (it may hold message text).
 */
/**
 * What to tell a chat whose reply failed: nothing when the chat itself is gone (blocked,
 * kicked, not found); a short note when Telegram refused the content; otherwise the core's
 * text for the cause (e.g. a clip download from Blink that broke off mid-upload).
 */
function undeliveredReplyText(err: unknown): string | undefined {
  if (err instanceof GrammyError) {
    if (err.error_code === 403 || /chat not found/i.test(err.description)) return undefined;
    if (err.error_code === 400) return 'Sorry, that reply could not be shown here.';
  }
  const cause = err instanceof HttpError ? err.error : err;
  return describeUserError(cause).text;
}

export function describeError(err: unknown): Record<string, unknown> {
  if (err instanceof GrammyError) return { type: 'GrammyError', method: err.method, status: err.error_code, description: err.description };
  if (err instanceof HttpError) return { type: 'HttpError', message: err.message, cause: describeError(err.error) };
  if (err instanceof Error) {
    const code = 'code' in err && typeof err.code === 'string' ? err.code : undefined;
    return { type: err.name, message: err.message, ...(code ? { code } : {}) };
  }
  return { type: typeof err };
}
