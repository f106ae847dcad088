import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { BotApiError } from './bot-api-error.js';
import { handleControl } from './control-http.js';
import { createFaults, type FailOptions, type ResetOptions } from './faults.js';
import { newBotId } from './ids.js';
import type { FakeState, MethodContext } from './method-context.js';
import { canonicalMethod, runMethod } from './methods.js';
import { createRecorder, type CallMatcher, type WaitOptions } from './recorder.js';
import { decodeRequest } from './request-body.js';
import { createStore } from './store.js';
import type { ApiResponse, FakeMessage, FakeUser, MediaInput, Params, RecordedCall, RecordedFile, Transport } from './types.js';
import { createUpdateQueue } from './update-queue.js';
import { pressButton, sendUserMessage, type PressButtonInput, type UserMessageInput } from './user-actions.js';

export interface FakeTelegramOptions {
  /** Default: a realistic random `<bot id>:<secret>` token. */
  readonly token?: string;
  /** Default 0 (random). Always bound on 127.0.0.1. */
  readonly port?: number;
  readonly botUsername?: string;
  readonly botFirstName?: string;
  /** Keep uploaded bytes (default true). False only counts and hashes: for big benchmark uploads. */
  readonly keepFileBytes?: boolean;
  /** Multipart upload limit for non-photos; default 50 MB like api.telegram.org. */
  readonly maxUploadBytes?: number;
  /** Photo limit; default 10 MB. */
  readonly maxPhotoBytes?: number;
  /** When true, sends to chats no user ever wrote from answer "chat not found". Default false. */
  readonly strictChats?: boolean;
  /** Serve `/__fake/…` control routes (main.ts turns this on). Default false. */
  readonly controlRoutes?: boolean;
  /** Epoch ms for message dates; default Date.now. Timeouts always use real time. */
  readonly now?: () => number;
}

export interface FakeTelegram {
  /** Pass as grammY's `client.apiRoot` / TELEGRAM_API_ROOT (no trailing slash). */
  readonly apiRoot: string;
  readonly token: string;
  readonly botInfo: FakeUser & { readonly username: string };
  /** Every API call so far, live and in order (getUpdates included). */
  readonly calls: readonly RecordedCall[];
  callsOf(method: string): RecordedCall[];
  /** The bot's live messages in a chat, oldest first, after edits and deletions. */
  messagesTo(chatId: number): FakeMessage[];
  /** Every live message in a chat, the users' included. */
  chatHistory(chatId: number): FakeMessage[];
  sendUserMessage(input: UserMessageInput): number;
  pressButton(input: PressButtonInput): string;
  /** Resolves with the first matching call not already returned by an earlier `waitFor`. */
  waitFor(matcher: CallMatcher, options?: WaitOptions): Promise<RecordedCall>;
  failNext(options: FailOptions): void;
  resetConnectionNext(method: string, options?: ResetOptions): void;
  /** Ends a pending getUpdates with 409 Conflict, or the next one when none is pending. */
  conflictGetUpdates(): void;
  /** Every later send to this chat answers 403 (blocked by the user / kicked from the group). */
  blockChat(chatId: number, blocked?: boolean): void;
  /** Updates queued and not yet confirmed by an offset. */
  pendingUpdates(): number;
  /** Whether a `getUpdates` long poll is held open now (the bot is waiting for updates). */
  pollHeld(): boolean;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.destroyed || res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function respond(res: ServerResponse, response: ApiResponse): void {
  send(res, response.ok ? 200 : response.error_code, response);
}

function toResponse(err: unknown): ApiResponse {
  if (err instanceof BotApiError) return err.toBody();
  return { ok: false, error_code: 500, description: `Internal Server Error: ${err instanceof Error ? err.message : String(err)}` };
}

function numberParam(params: Params, key: string, fallback: number): number {
  const v = params[key];
  return typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : fallback;
}

/** Starts a fake Bot API server on 127.0.0.1. Close it in `t.after`. */
export async function startFakeTelegram(options: FakeTelegramOptions = {}): Promise<FakeTelegram> {
  const botId = options.token !== undefined ? Number(options.token.split(':')[0]) || newBotId() : newBotId();
  const token = options.token ?? `${botId}:AA${randomBytes(24).toString('base64url').slice(0, 33)}`;
  const botInfo = {
    id: botId,
    is_bot: true,
    first_name: options.botFirstName ?? 'Blink Bot',
    username: options.botUsername ?? 'blink_test_bot',
  };
  const state: FakeState = {
    store: createStore({ bot: botInfo, strictChats: options.strictChats ?? false }),
    queue: createUpdateQueue(),
    limits: {
      maxUploadBytes: options.maxUploadBytes ?? 50 * 1024 * 1024,
      maxPhotoBytes: options.maxPhotoBytes ?? 10 * 1024 * 1024,
    },
    callbackQueries: new Map(),
    commands: new Map(),
    webhook: { url: '' },
    now: options.now ?? Date.now,
  };
  const recorder = createRecorder();
  const faults = createFaults();
  const keepFileBytes = options.keepFileBytes ?? true;

  const record = (
    method: string,
    startedAt: number,
    decoded: { params: Params; transport: Transport; files: RecordedFile[] },
    media: MediaInput[],
    response: ApiResponse,
    injected?: 'fail' | 'reset',
  ): RecordedCall => {
    const call: RecordedCall = {
      seq: recorder.nextSeq(),
      method,
      params: decoded.params,
      transport: decoded.transport,
      files: decoded.files,
      media,
      startedAt,
      at: Date.now(),
      response,
      ...(injected !== undefined ? { injected } : {}),
    };
    recorder.record(call);
    return call;
  };

  const handleApi = async (req: IncomingMessage, res: ServerResponse, url: URL, rawMethod: string): Promise<void> => {
    const startedAt = Date.now();
    const method = canonicalMethod(rawMethod);
    const empty = { params: {}, transport: 'query' as const, files: [] };
    if (faults.takeReset(method, 'before')) {
      record(method, startedAt, empty, [], { ok: false, error_code: 0, description: 'connection reset by fake' }, 'reset');
      req.socket.destroy();
      return;
    }
    let decoded: { params: Params; transport: Transport; files: RecordedFile[] };
    try {
      decoded = await decodeRequest(req, url, { keepFileBytes, maxJsonBytes: 10 * 1024 * 1024 });
    } catch (err) {
      const response = toResponse(err);
      record(method, startedAt, empty, [], response);
      respond(res, response);
      return;
    }
    const injected = faults.takeFail(method, decoded.params);
    if (injected !== undefined) {
      const response = injected.toBody();
      record(method, startedAt, decoded, [], response, 'fail');
      respond(res, response);
      return;
    }
    if (method === 'getUpdates') {
      await handleGetUpdates(req, res, startedAt, decoded);
      return;
    }
    const ctx: MethodContext = {
      ...state,
      params: decoded.params,
      files: decoded.files,
      media: [],
      nowSeconds: () => Math.floor(state.now() / 1000),
    };
    let response: ApiResponse;
    try {
      response = { ok: true, result: runMethod(method, ctx) };
    } catch (err) {
      response = toResponse(err);
    }
    if (faults.takeReset(method, 'after')) {
      record(method, startedAt, decoded, ctx.media, response, 'reset');
      req.socket.destroy();
      return;
    }
    record(method, startedAt, decoded, ctx.media, response);
    respond(res, response);
  };

  const handleGetUpdates = async (
    _req: IncomingMessage,
    res: ServerResponse,
    startedAt: number,
    decoded: { params: Params; transport: Transport; files: RecordedFile[] },
  ): Promise<void> => {
    if (state.webhook.url !== '') {
      const response = new BotApiError(
        409,
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      ).toBody();
      record('getUpdates', startedAt, decoded, [], response);
      respond(res, response);
      return;
    }
    const p = decoded.params;
    const offset = p['offset'] === undefined ? undefined : numberParam(p, 'offset', 0);
    const poll = state.queue.poll(offset, numberParam(p, 'limit', 100), numberParam(p, 'timeout', 0));
    // A client that gives up (grammY's bot.stop aborts its poll) must not swallow updates.
    const onClose = (): void => {
      if (!res.writableEnded) poll.cancel();
    };
    res.on('close', onClose);
    let response: ApiResponse;
    try {
      response = { ok: true, result: await poll.result };
    } catch (err) {
      response = toResponse(err);
    }
    res.off('close', onClose);
    if (res.destroyed) return; // answered nobody: the updates stay queued
    record('getUpdates', startedAt, decoded, [], response);
    respond(res, response);
  };

  const serveFile = (res: ServerResponse, filePath: string): void => {
    const file = state.store.fileByPath(filePath);
    if (file?.bytes === undefined) {
      send(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      return;
    }
    res.writeHead(200, { 'content-type': file.mimeType, 'content-length': file.bytes.length });
    res.end(file.bytes);
  };

  // Assigned once the server listens; control routes only run after that.
  let fake: FakeTelegram;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    if (options.controlRoutes === true && path.startsWith('/__fake/')) {
      handleControl(fake, req, res, url).catch((err: unknown) => send(res, 500, { error: String(err) }));
      return;
    }
    const fileMatch = /^\/file\/bot([^/]+)\/(.+)$/.exec(path);
    if (fileMatch !== null && fileMatch[1] === token) {
      serveFile(res, fileMatch[2] ?? '');
      return;
    }
    const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(path);
    if (m === null || (req.method !== 'GET' && req.method !== 'POST')) {
      req.resume();
      send(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      return;
    }
    if (m[1] !== token) {
      req.resume();
      send(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
      return;
    }
    handleApi(req, res, url, m[2] ?? '').catch((err: unknown) => respond(res, toResponse(err)));
  });
  // Long polls are held open on purpose; Node's default request timeouts must not cut them.
  server.requestTimeout = 0;
  server.headersTimeout = 0;
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fake Telegram: no TCP address');
  const { port } = address;
  let closing: Promise<void> | undefined;

  fake = {
    apiRoot: `http://127.0.0.1:${port}`,
    token,
    botInfo,
    calls: recorder.calls,
    callsOf: (method) => recorder.calls.filter((c) => c.method === method),
    messagesTo: (chatId) => state.store.messages(chatId, true),
    chatHistory: (chatId) => state.store.messages(chatId, false),
    sendUserMessage: (input) => sendUserMessage(state, input),
    pressButton: (input) => pressButton(state, input),
    waitFor: (matcher, waitOptions) => recorder.waitFor(matcher, waitOptions),
    failNext: (failOptions) => faults.failNext(failOptions),
    resetConnectionNext: (method, resetOptions) => faults.resetNext(method, resetOptions),
    conflictGetUpdates: () => {
      if (!state.queue.conflict()) faults.failNext({ method: 'getUpdates', errorCode: 409 });
    },
    blockChat: (chatId, blocked = true) => state.store.setBlocked(chatId, blocked),
    pendingUpdates: () => state.queue.pendingCount(),
    pollHeld: () => state.queue.pollHeld(),
    close: () => {
      closing ??= (async () => {
        // Answer held long polls first, so a bot still polling gets [] rather than a reset.
        state.queue.close();
        recorder.close();
        await new Promise((r) => setImmediate(r));
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await new Promise((r) => setTimeout(r, 20));
        server.closeAllConnections();
        await closed;
      })();
      return closing;
    },
  };
  return fake;
}
