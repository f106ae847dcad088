import type { AuthStore } from './auth-store.js';
import type { CommandBook } from './commands.js';
import { jsonReply, notFound, unauthorized, type SimReply } from './http-io.js';
import type { MediaLibrary } from './media-library.js';
import type { Handler, RouteContext } from './router.js';
import type { SimState } from './state.js';
import type { DeviceFamily, SimAccount, SimDevice, SimNetwork } from './types.js';

export interface RestDeps {
  state: SimState;
  auth: AuthStore;
  commands: CommandBook;
  mediaPageSize: number;
  /** Registers a live view with the immis relay; returns the immis:// URL to answer with. */
  openLiveStream?: (session: { connectionId: string; serial: string; clientId: number; cameraName: string }) => string;
  /** Thumbnail and clip bytes. */
  media: MediaLibrary;
}

export interface AuthedContext extends RouteContext {
  account: SimAccount;
  token: string;
}

/** Thrown inside handlers to answer early (not found, wrong family); caught by `withAccount`. */
export class ReplyError extends Error {
  constructor(readonly reply: SimReply) {
    super(`reply ${reply.status}`);
  }
}

const BEARER = /^Bearer\s+(\S+)$/i;

/**
 * Wraps a REST handler: bearer → account (401 otherwise), the tier host must be the
 * account's own (tier_info excepted), and `:a` in the path must be that account.
 */
export function withAccount(deps: RestDeps, handler: (ctx: AuthedContext) => SimReply | Promise<SimReply>, opts: { anyTier?: boolean } = {}): Handler {
  return async (ctx) => {
    const token = BEARER.exec(ctx.req.headers.authorization ?? '')?.[1];
    const accountId = token === undefined ? undefined : deps.auth.accountOf(token);
    const account = accountId === undefined ? undefined : deps.state.accounts.get(accountId);
    if (!token || !account) return unauthorized();
    if (!opts.anyTier && ctx.tier !== account.tier) return notFound(`Wrong tier host rest-${ctx.tier}`);
    const a = ctx.params.a;
    if (a !== undefined && a !== String(account.id)) return jsonReply(403, { message: 'Unauthorized Access', code: 101 });
    try {
      return await handler({ ...ctx, account, token });
    } catch (err) {
      if (err instanceof ReplyError) return err.reply;
      throw err;
    }
  };
}

export function networkOf(deps: RestDeps, ctx: AuthedContext): SimNetwork {
  const network = deps.state.networks.get(Number(ctx.params.n));
  if (!network || network.accountId !== ctx.account.id) throw new ReplyError(notFound('Network not found'));
  return network;
}

/** The device of `:c` on network `:n`, of one of `families` (the wrong family path is a 404). */
export function deviceOf(deps: RestDeps, ctx: AuthedContext, families: readonly DeviceFamily[]): SimDevice {
  const network = networkOf(deps, ctx);
  const device = deps.state.devices.get(Number(ctx.params.c));
  if (!device || device.networkId !== network.id || !families.includes(device.family)) {
    throw new ReplyError(jsonReply(404, { message: 'Camera not found', code: 500 }));
  }
  return device;
}
