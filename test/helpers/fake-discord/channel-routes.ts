// Gateway discovery, the bot's own user/application, channels, DMs and channel messages.
import { z } from 'zod';
import { createMessage, editMessage, messageBodySchema } from './messages.js';
import { messagePayload, userPayload } from './payloads.js';
import { apiError, json, type RouteContext, type RouteDef, type RouteResult } from './route-types.js';

export function channelRoutes(gatewayUrl: () => string): RouteDef[] {
  const gatewayBot = (): RouteResult =>
    json({
      url: gatewayUrl(),
      shards: 1,
      session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 },
    });

  const application = (ctx: RouteContext): RouteResult =>
    json({
      id: ctx.state.applicationId,
      name: 'blink-bot',
      icon: null,
      description: '',
      bot_public: false,
      bot_require_code_grant: false,
      verify_key: '0'.repeat(64),
      flags: 0,
      bot: ctx.state.botUser,
      owner: userPayload('1', 'owner'),
      team: null,
    });

  const getChannel = (ctx: RouteContext): RouteResult => {
    const channel = ctx.state.channels.get(ctx.params.channel ?? '');
    return channel === undefined ? apiError(404, 10003, 'Unknown Channel') : json(channel.payload);
  };

  const openDm = (ctx: RouteContext): RouteResult => {
    const parsed = z.object({ recipient_id: z.union([z.string(), z.number()]) }).safeParse(ctx.body);
    if (!parsed.success) return apiError(400, 50035, 'Invalid Form Body');
    const id = ctx.state.dmChannelFor(String(parsed.data.recipient_id));
    const channel = ctx.state.channels.get(id);
    return json(channel?.payload);
  };

  const postMessage = (ctx: RouteContext): RouteResult => {
    const channelId = ctx.params.channel ?? '';
    if (!ctx.state.channels.has(channelId)) return apiError(404, 10003, 'Unknown Channel');
    const parsed = messageBodySchema.safeParse(ctx.body ?? {});
    if (!parsed.success) return apiError(400, 50035, 'Invalid Form Body');
    const { content, embeds, components } = parsed.data;
    if (!content && ctx.files.size === 0 && (embeds ?? []).length === 0 && (components ?? []).length === 0) {
      return apiError(400, 50006, 'Cannot send an empty message');
    }
    const message = createMessage({ id: ctx.state.newId(), channelId, source: 'channel', body: parsed.data, files: ctx.files, now: Date.now() });
    ctx.state.addMessage(message);
    return json(messagePayload(message, ctx.state.botUser));
  };

  const channelMessage =
    (kind: 'get' | 'edit' | 'delete') =>
    (ctx: RouteContext): RouteResult => {
      const message = ctx.state.messages.get(ctx.params.message ?? '');
      if (message === undefined || message.deleted || message.channelId !== ctx.params.channel) {
        return apiError(404, 10008, 'Unknown Message');
      }
      if (kind === 'delete') {
        message.deleted = true;
        ctx.state.changes.emit('change');
        return { status: 204 };
      }
      if (kind === 'edit') {
        const parsed = messageBodySchema.safeParse(ctx.body ?? {});
        if (!parsed.success) return apiError(400, 50035, 'Invalid Form Body');
        editMessage(message, parsed.data, ctx.files, Date.now());
        ctx.state.changes.emit('change');
      }
      return json(messagePayload(message, ctx.state.botUser));
    };

  return [
    { method: 'GET', pattern: '/gateway/bot', auth: true, handle: gatewayBot },
    { method: 'GET', pattern: '/gateway', auth: false, handle: () => json({ url: gatewayUrl() }) },
    { method: 'GET', pattern: '/users/@me', auth: true, handle: (ctx) => json(ctx.state.botUser) },
    { method: 'GET', pattern: '/applications/@me', auth: true, handle: application },
    { method: 'GET', pattern: '/oauth2/applications/@me', auth: true, handle: application },
    { method: 'POST', pattern: '/users/@me/channels', auth: true, handle: openDm },
    { method: 'GET', pattern: '/channels/:channel', auth: true, handle: getChannel },
    { method: 'POST', pattern: '/channels/:channel/messages', auth: true, handle: postMessage },
    { method: 'GET', pattern: '/channels/:channel/messages/:message', auth: true, handle: channelMessage('get') },
    { method: 'PATCH', pattern: '/channels/:channel/messages/:message', auth: true, handle: channelMessage('edit') },
    { method: 'DELETE', pattern: '/channels/:channel/messages/:message', auth: true, handle: channelMessage('delete') },
  ];
}
