import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { FakeTelegram } from './server.js';
import type { RecordedCall } from './types.js';

const userMessage = z.object({
  chatId: z.number().int().optional(),
  userId: z.number().int().optional(),
  text: z.string(),
  chatType: z.enum(['private', 'group', 'supergroup']).optional(),
  firstName: z.string().optional(),
  username: z.string().optional(),
  chatTitle: z.string().optional(),
  replyToMessageId: z.number().int().optional(),
});
const press = z.object({
  chatId: z.number().int(),
  userId: z.number().int(),
  messageId: z.number().int(),
  data: z.string(),
  firstName: z.string().optional(),
  force: z.boolean().optional(),
});
const wait = z.object({
  method: z.string().optional(),
  chatId: z.number().int().optional(),
  since: z.number().int().optional(),
  timeoutMs: z.number().int().positive().max(600_000).optional(),
});
const fail = z.object({
  method: z.string().optional(),
  chatId: z.number().int().optional(),
  errorCode: z.number().int(),
  description: z.string().optional(),
  retryAfter: z.number().int().optional(),
  times: z.number().int().positive().optional(),
});
const reset = z.object({
  method: z.string(),
  when: z.enum(['before', 'after']).optional(),
  times: z.number().int().positive().optional(),
});

/** A call without file bytes, for JSON over the control routes. */
function callSummary(call: RecordedCall): Record<string, unknown> {
  return {
    seq: call.seq,
    method: call.method,
    params: call.params,
    transport: call.transport,
    files: call.files.map((f) => ({
      param: f.param,
      filename: f.filename,
      contentType: f.contentType,
      size: f.size,
      sha256: f.sha256,
      firstByteAt: f.firstByteAt,
      lastByteAt: f.lastByteAt,
    })),
    media: call.media.map((m) => (m.source === 'upload' ? { param: m.param, source: m.source } : m)),
    startedAt: call.startedAt,
    at: call.at,
    response: call.response,
    ...(call.injected !== undefined ? { injected: call.injected } : {}),
  };
}

async function jsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)));
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? {} : (JSON.parse(text) as unknown);
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * `/__fake/…`: the test-side API over HTTP, for a fake running in its own process
 * (benchmarks). Bad input answers 400 with zod's message.
 */
export async function handleControl(fake: FakeTelegram, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const route = url.pathname.slice('/__fake/'.length);
  const body = req.method === 'POST' ? await jsonBody(req) : {};
  try {
    switch (route) {
      case 'info':
        return reply(res, 200, { apiRoot: fake.apiRoot, token: fake.token, botInfo: fake.botInfo });
      case 'sendUserMessage':
        return reply(res, 200, { message_id: fake.sendUserMessage(userMessage.parse(body)) });
      case 'pressButton':
        return reply(res, 200, { callback_query_id: fake.pressButton(press.parse(body)) });
      case 'calls': {
        const method = url.searchParams.get('method');
        const since = Number(url.searchParams.get('since') ?? '0');
        const calls = fake.calls.filter((c) => c.seq > since && (method === null || c.method === method));
        return reply(res, 200, { calls: calls.map(callSummary) });
      }
      case 'messagesTo':
        return reply(res, 200, { messages: fake.messagesTo(Number(url.searchParams.get('chatId'))) });
      case 'waitFor': {
        const w = wait.parse(body);
        try {
          const call = await fake.waitFor(
            (c) => (w.method === undefined || c.method === w.method) && (w.chatId === undefined || c.params['chat_id'] === w.chatId),
            { ...(w.timeoutMs !== undefined ? { timeoutMs: w.timeoutMs } : {}), ...(w.since !== undefined ? { since: w.since } : {}) },
          );
          return reply(res, 200, { call: callSummary(call) });
        } catch (err) {
          return reply(res, 408, { error: err instanceof Error ? err.message : String(err) });
        }
      }
      case 'failNext':
        fake.failNext(fail.parse(body));
        return reply(res, 200, { ok: true });
      case 'resetConnectionNext': {
        const r = reset.parse(body);
        fake.resetConnectionNext(r.method, { ...(r.when !== undefined ? { when: r.when } : {}), ...(r.times !== undefined ? { times: r.times } : {}) });
        return reply(res, 200, { ok: true });
      }
      case 'conflictGetUpdates':
        fake.conflictGetUpdates();
        return reply(res, 200, { ok: true });
      default:
        return reply(res, 404, { error: `unknown control route ${route}` });
    }
  } catch (err) {
    return reply(res, 400, { error: err instanceof Error ? err.message : String(err) });
  }
}
