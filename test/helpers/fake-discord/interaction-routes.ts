// Interaction callbacks and the interaction webhook (follow-ups, edits of @original).
import { z } from 'zod';
import { createMessage, editMessage, EPHEMERAL, LOADING, messageBodySchema, type MessageBody } from './messages.js';
import { messagePayload } from './payloads.js';
import { apiError, json, type RouteContext, type RouteDef, type RouteResult } from './route-types.js';
import type { FakeState, InteractionRecord } from './state.js';
import type { RecordedMessage } from './types.js';

const callbackSchema = z.looseObject({ type: z.number(), data: z.unknown().optional() });

function botMessage(state: FakeState, message: RecordedMessage): Record<string, unknown> {
  return messagePayload(message, state.botUser, state.applicationId);
}

function parseBody(raw: unknown): MessageBody | undefined {
  const parsed = messageBodySchema.safeParse(raw ?? {});
  return parsed.success ? parsed.data : undefined;
}

function callback(ctx: RouteContext): RouteResult {
  const { state } = ctx;
  const record = state.interactions.get(ctx.params.id ?? '');
  if (record === undefined || record.handle.token !== ctx.params.token) return apiError(404, 10062, 'Unknown interaction');
  const deadline = state.options.interactionDeadlineMs;
  if (deadline !== undefined && Date.now() - record.handle.dispatchedAt > deadline) {
    return apiError(404, 10062, 'Unknown interaction');
  }
  if (record.callbackAt !== undefined) return apiError(400, 40060, 'Interaction has already been acknowledged.');
  const parsed = callbackSchema.safeParse(ctx.body);
  if (!parsed.success) return apiError(400, 50035, 'Invalid Form Body');
  const { type } = parsed.data;
  const now = Date.now();
  let message: RecordedMessage | undefined;
  if (type === 4 || type === 5) {
    const body = parseBody(parsed.data.data);
    if (body === undefined) return apiError(400, 50035, 'Invalid Form Body');
    const deferred = type === 5;
    message = createMessage({
      id: state.newId(),
      channelId: record.handle.channelId,
      source: 'interaction',
      interactionId: record.handle.id,
      // A deferred reply only carries flags (ephemeral or not); content comes with the edit.
      body: deferred ? { flags: (body.flags ?? 0) & EPHEMERAL } : body,
      files: deferred ? new Map() : ctx.files,
      now,
      extraFlags: deferred ? LOADING : 0,
    });
    state.addMessage(message);
    record.originalMessageId = message.id;
  } else if (type === 6 || type === 7) {
    const source = record.sourceMessageId === undefined ? undefined : state.messages.get(record.sourceMessageId);
    if (source === undefined) return apiError(400, 40004, 'Interaction has no message to update');
    if (type === 7) {
      const body = parseBody(parsed.data.data);
      if (body === undefined) return apiError(400, 50035, 'Invalid Form Body');
      editMessage(source, body, ctx.files, now);
    }
    record.originalMessageId = source.id;
    message = source;
  } else if (type === 9 && (record.handle.type === 5 || record.handle.type === 1)) {
    return apiError(400, 50035, 'Invalid Form Body: cannot show a modal here');
  } else if (![1, 8, 9].includes(type)) {
    return apiError(400, 50035, `Invalid Form Body: unknown callback type ${type}`);
  }
  record.callbackAt = now;
  state.recordEvent(record, {
    kind: 'callback',
    callbackType: type,
    body: ctx.body,
    files: [...ctx.files.values()],
    ...(message ? { message, messageId: message.id } : {}),
  });
  if (ctx.query.with_response !== 'true') return { status: 204 };
  return json({
    interaction: {
      id: record.handle.id,
      type: record.handle.type,
      activity_instance_id: null,
      response_message_id: message?.id ?? null,
      response_message_loading: type === 5,
      response_message_ephemeral: message === undefined ? false : (message.flags & EPHEMERAL) !== 0,
    },
    resource: { type, ...(message ? { message: botMessage(state, message) } : {}) },
  });
}

function webhookRecord(ctx: RouteContext): InteractionRecord | undefined {
  if (ctx.params.app !== ctx.state.applicationId) return undefined;
  return ctx.state.interactionsByToken.get(ctx.params.token ?? '');
}

function targetMessage(ctx: RouteContext, record: InteractionRecord): RecordedMessage | undefined {
  const id = ctx.params.message === '@original' ? record.originalMessageId : ctx.params.message;
  if (id === undefined) return undefined;
  const message = ctx.state.messages.get(id);
  if (message === undefined || message.deleted) return undefined;
  const belongs = message.interactionId === record.handle.id || message.id === record.originalMessageId;
  return belongs ? message : undefined;
}

function followUp(ctx: RouteContext): RouteResult {
  const record = webhookRecord(ctx);
  // Discord only accepts follow-ups once the interaction has been acknowledged.
  if (record === undefined || record.callbackAt === undefined) return apiError(404, 10015, 'Unknown Webhook');
  const body = parseBody(ctx.body);
  if (body === undefined) return apiError(400, 50035, 'Invalid Form Body');
  const message = createMessage({
    id: ctx.state.newId(),
    channelId: record.handle.channelId,
    source: 'interaction',
    interactionId: record.handle.id,
    body,
    files: ctx.files,
    now: Date.now(),
  });
  ctx.state.addMessage(message);
  ctx.state.recordEvent(record, { kind: 'followup', messageId: message.id, body: ctx.body, message, files: [...ctx.files.values()] });
  return ctx.query.wait === 'false' ? { status: 204 } : json(botMessage(ctx.state, message));
}

function messageRoute(kind: 'get' | 'edit' | 'delete') {
  return (ctx: RouteContext): RouteResult => {
    const record = webhookRecord(ctx);
    if (record === undefined) return apiError(404, 10015, 'Unknown Webhook');
    const message = targetMessage(ctx, record);
    if (message === undefined) return apiError(404, 10008, 'Unknown Message');
    if (kind === 'get') return json(botMessage(ctx.state, message));
    const messageId = ctx.params.message ?? message.id;
    if (kind === 'delete') {
      message.deleted = true;
      ctx.state.recordEvent(record, { kind: 'delete', messageId, body: undefined, message, files: [] });
      return { status: 204 };
    }
    const body = parseBody(ctx.body);
    if (body === undefined) return apiError(400, 50035, 'Invalid Form Body');
    editMessage(message, body, ctx.files, Date.now());
    ctx.state.recordEvent(record, { kind: 'edit', messageId, body: ctx.body, message, files: [...ctx.files.values()] });
    return json(botMessage(ctx.state, message));
  };
}

export function interactionRoutes(): RouteDef[] {
  const hook = '/webhooks/:app/:token';
  return [
    { method: 'POST', pattern: '/interactions/:id/:token/callback', auth: false, handle: callback },
    { method: 'POST', pattern: hook, auth: false, handle: followUp },
    { method: 'GET', pattern: `${hook}/messages/:message`, auth: false, handle: messageRoute('get') },
    { method: 'PATCH', pattern: `${hook}/messages/:message`, auth: false, handle: messageRoute('edit') },
    { method: 'DELETE', pattern: `${hook}/messages/:message`, auth: false, handle: messageRoute('delete') },
  ];
}
