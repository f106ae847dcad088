import { z } from 'zod';
import { badRequest, jsonReply, notFound, type SimReply } from './http-io.js';
import { networkOf, withAccount, type AuthedContext, type RestDeps } from './rest-context.js';
import { route, type Route } from './router.js';
import { cameraUsageBody, homescreenBody, networkObject, networksBody, syncModuleBody } from './shapes-account.js';
import { shortCommandBody } from './shapes-device.js';

const NotificationsUpdate = z.object({ notifications: z.record(z.string(), z.boolean()) });

/** Account, network and arm routes (docs/blink-api.md, "Devices", "Commands"). */
export function createAccountRoutes(deps: RestDeps): Route[] {
  const { state } = deps;

  const homescreen = withAccount(deps, (ctx) =>
    // Client-Id / User-Id: blinkpy reads them from the headers (docs/blink-api.md, "Devices").
    jsonReply(200, homescreenBody(state, ctx.account), {
      'client-id': String(ctx.account.clientId),
      'user-id': String(ctx.account.userId),
    }),
  );

  const armRoute = (action: 'arm' | 'disarm'): Route =>
    route(
      'POST',
      `/api/v1/accounts/:a/networks/:n/state/${action}`,
      withAccount(deps, (ctx) => {
        const network = networkOf(deps, ctx);
        const cmd = deps.commands.create({ accountId: ctx.account.id, networkId: network.id, kind: action, targetId: network.id });
        // One config_lfr child per camera behind the sync module, like the real answer.
        const children = state
          .devicesOf(network)
          .filter((d) => d.family !== 'owl')
          .map(() => deps.commands.reserveId());
        return jsonReply(200, shortCommandBody(cmd, children));
      }),
    );

  const networkUpdate = withAccount(deps, (ctx) => {
    const network = networkOf(deps, ctx);
    return jsonReply(200, { network: networkObject(network, state.syncModuleOf(network)) });
  });

  function notifications(ctx: AuthedContext): SimReply {
    if (ctx.method === 'GET') return jsonReply(200, { notifications: ctx.account.notifications });
    let parsed: unknown;
    try {
      parsed = JSON.parse(ctx.body.toString('utf8'));
    } catch {
      return badRequest('Body is not JSON');
    }
    const update = NotificationsUpdate.safeParse(parsed);
    if (!update.success) return badRequest('Expected {"notifications": {flag: bool}}');
    Object.assign(ctx.account.notifications, update.data.notifications);
    return jsonReply(200, { message: 'Client Notification Configure Update Successful' });
  }

  return [
    route(
      'GET',
      '/api/v1/users/tier_info',
      withAccount(deps, (ctx) => jsonReply(200, { tier: ctx.account.tier, account_id: ctx.account.id }), { anyTier: true }),
    ),
    route('GET', '/api/v3/accounts/:a/homescreen', homescreen),
    route('GET', '/api/v4/accounts/:a/homescreen', homescreen),
    route(
      'GET',
      '/networks',
      withAccount(deps, (ctx) => jsonReply(200, networksBody(state, ctx.account))),
    ),
    route(
      'GET',
      '/api/v1/camera/usage',
      withAccount(deps, (ctx) => jsonReply(200, cameraUsageBody(state, ctx.account))),
    ),
    route(
      'GET',
      '/network/:n/syncmodules',
      withAccount(deps, (ctx) => {
        const sm = state.syncModuleOf(networkOf(deps, ctx));
        return sm ? jsonReply(200, syncModuleBody(sm, state.now())) : notFound('Sync module not found');
      }),
    ),
    route('POST', '/network/:n/update', networkUpdate),
    route('GET', '/network/:n', networkUpdate),
    armRoute('arm'),
    armRoute('disarm'),
    route('GET', '/api/v1/accounts/:a/notifications/configuration', withAccount(deps, notifications)),
    route('POST', '/api/v1/accounts/:a/notifications/configuration', withAccount(deps, notifications)),
    route(
      'POST',
      '/api/v4/account/:a/client/:client/logout',
      withAccount(deps, (ctx) => {
        deps.auth.revokeFamilyOf(ctx.token);
        return jsonReply(200, { message: 'logout' });
      }),
    ),
  ];
}
