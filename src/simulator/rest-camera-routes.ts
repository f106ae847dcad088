import { z } from 'zod';
import { badRequest, jsonReply, notFound, type SimReply } from './http-io.js';
import { deviceOf, networkOf, ReplyError, withAccount, type AuthedContext, type RestDeps } from './rest-context.js';
import { route, type Route } from './router.js';
import { cameraConfigBody, commandRecord, commandStatusBody, liveviewBody, owlConfigBody, shortCommandBody, signalsBody } from './shapes-device.js';
import type { CommandKind, DeviceFamily, SimCommand, SimDevice } from './types.js';

const OwlConfigWrite = z.object({
  enabled: z.boolean().optional(),
  illuminator_enable: z.enum(['off', 'on', 'auto']).optional(),
});
const CameraUpdate = z.object({ illuminator_enable: z.union([z.literal(0), z.literal(1), z.literal(2)]) });

const DEVICE_KINDS: ReadonlySet<CommandKind> = new Set(['enable', 'disable', 'thumbnail', 'clip', 'config_set', 'liveview']);

function jsonBody(ctx: AuthedContext): unknown {
  const text = ctx.body.toString('utf8').trim();
  if (text === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Camera, Mini and doorbell routes plus command polling (docs/blink-api.md, "Devices", "Commands"). */
export function createCameraRoutes(deps: RestDeps): Route[] {
  const { state, commands } = deps;

  const extraOf = (cmd: SimCommand): { smId: number | null; cameraId: number | null } => {
    const network = state.networks.get(cmd.networkId);
    return {
      smId: network?.syncModuleId ?? null,
      cameraId: DEVICE_KINDS.has(cmd.kind) ? cmd.targetId : null,
    };
  };

  const start = (ctx: AuthedContext, device: SimDevice, kind: CommandKind, arg: number | null = null): SimCommand =>
    commands.create({ accountId: ctx.account.id, networkId: device.networkId, kind, targetId: device.id, arg });

  /** POST {prefix}/{action} for one family. Regular cameras and doorbells answer the full record. */
  function actions(prefix: string, family: DeviceFamily, kinds: CommandKind[]): Route[] {
    return kinds.map((kind) =>
      route(
        'POST',
        `${prefix}/${kind}`,
        withAccount(deps, (ctx) => {
          const device = deviceOf(deps, ctx, [family]);
          const cmd = start(ctx, device, kind);
          return jsonReply(200, family === 'owl' ? shortCommandBody(cmd) : commandRecord(cmd, extraOf(cmd)));
        }),
      ),
    );
  }

  const liveview = (template: string, family: DeviceFamily): Route =>
    route(
      'POST',
      template,
      withAccount(deps, (ctx) => {
        const device = deviceOf(deps, ctx, [family]);
        const cmd = start(ctx, device, 'liveview');
        const session = { connectionId: `Sim${cmd.id}`, serial: device.serial, clientId: ctx.account.clientId, cameraName: device.name };
        const server = deps.openLiveStream?.(session);
        return jsonReply(200, liveviewBody(cmd, device, ctx.account.clientId, server));
      }),
    );

  function owlConfigWrite(ctx: AuthedContext): SimReply {
    const device = deviceOf(deps, ctx, ['owl']);
    const parsed = OwlConfigWrite.safeParse(jsonBody(ctx));
    if (!parsed.success) return badRequest('Invalid owl config body');
    const { enabled, illuminator_enable: illuminator } = parsed.data;
    const cmd =
      enabled !== undefined
        ? start(ctx, device, enabled ? 'enable' : 'disable')
        : start(ctx, device, 'config_set', illuminator === undefined ? null : ['off', 'on', 'auto'].indexOf(illuminator));
    return jsonReply(200, shortCommandBody(cmd));
  }

  function commandOf(ctx: AuthedContext): SimCommand {
    const network = networkOf(deps, ctx);
    const cmd = commands.commands.get(Number(ctx.params.id));
    if (!cmd || cmd.accountId !== ctx.account.id || cmd.networkId !== network.id) {
      throw new ReplyError(notFound('Command not found'));
    }
    return cmd;
  }

  const commandRoute = (handler: (ctx: AuthedContext, cmd: SimCommand) => SimReply) => withAccount(deps, (ctx) => handler(ctx, commandOf(ctx)));

  const regular = '/network/:n/camera/:c';
  const owl = '/api/v1/accounts/:a/networks/:n/owls/:c';
  const doorbell = '/api/v1/accounts/:a/networks/:n/doorbells/:c';

  return [
    route(
      'GET',
      `${regular}/config`,
      withAccount(deps, (ctx) => {
        const device = deviceOf(deps, ctx, ['camera']);
        return jsonReply(200, cameraConfigBody(device, state.networks.get(device.networkId)?.syncModuleId ?? null));
      }),
    ),
    route(
      'GET',
      `${regular}/signals`,
      withAccount(deps, (ctx) => jsonReply(200, signalsBody(deviceOf(deps, ctx, ['camera'])))),
    ),
    route(
      'POST',
      `${regular}/update`,
      withAccount(deps, (ctx) => {
        const device = deviceOf(deps, ctx, ['camera']);
        const parsed = CameraUpdate.safeParse(jsonBody(ctx));
        if (!parsed.success) return badRequest('Invalid camera update body');
        const cmd = start(ctx, device, 'config_set', parsed.data.illuminator_enable);
        return jsonReply(200, commandRecord(cmd, extraOf(cmd)));
      }),
    ),
    ...actions(regular, 'camera', ['enable', 'disable', 'thumbnail', 'clip']),
    route(
      'GET',
      `${owl}/config`,
      withAccount(deps, (ctx) => jsonReply(200, owlConfigBody(deviceOf(deps, ctx, ['owl'])))),
    ),
    route('POST', `${owl}/config`, withAccount(deps, owlConfigWrite)),
    ...actions(owl, 'owl', ['thumbnail', 'clip']),
    ...actions(doorbell, 'lotus', ['enable', 'disable', 'thumbnail', 'clip']),
    liveview('/api/v6/accounts/:a/networks/:n/cameras/:c/liveview', 'camera'),
    liveview('/api/v2/accounts/:a/networks/:n/owls/:c/liveview', 'owl'),
    liveview('/api/v2/accounts/:a/networks/:n/doorbells/:c/liveview', 'lotus'),
    route(
      'GET',
      '/network/:n/command/:id',
      commandRoute((_ctx, cmd) => {
        commands.poll(cmd);
        return jsonReply(200, commandStatusBody(cmd, extraOf(cmd)));
      }),
    ),
    route(
      'POST',
      '/network/:n/command/:id/done/',
      commandRoute((_ctx, cmd) => {
        commands.markDone(cmd);
        return jsonReply(200, { message: `Command ${cmd.id} set to :done`, code: 902 });
      }),
    ),
  ];
}
