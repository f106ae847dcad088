import { withRawEntries } from './raw-entries.js';
import { jsonReply, notFound, type SimReply } from './http-io.js';
import { networkOf, ReplyError, withAccount, type AuthedContext, type RestDeps } from './rest-context.js';
import { mp4Reply } from './rest-media-routes.js';
import { route, type Route } from './router.js';
import { manifestBody, shortCommandBody } from './shapes-device.js';
import type { SimSyncModule, SimUsbClip } from './types.js';

const BASE = '/api/v1/accounts/:a/networks/:n/sync_modules/:s/local_storage';

/** Sync-module USB storage: manifest request/read, clip upload/download/delete (docs/blink-api.md, "Local storage"). */
export function createLocalStorageRoutes(deps: RestDeps): Route[] {
  const { state, commands } = deps;

  function moduleOf(ctx: AuthedContext): SimSyncModule {
    const network = networkOf(deps, ctx);
    const sm = state.syncModules.get(Number(ctx.params.s));
    if (!sm || sm.networkId !== network.id) throw new ReplyError(notFound('Sync module not found'));
    if (!sm.localStorage) throw new ReplyError(jsonReply(400, { message: 'Local storage is not active', code: 400 }));
    return sm;
  }

  function clipOf(ctx: AuthedContext, sm: SimSyncModule): SimUsbClip {
    const clip = sm.usbClips.find((c) => String(c.id) === ctx.params.clip);
    if (ctx.params.m !== sm.manifestId || !clip) throw new ReplyError(notFound('Clip not found'));
    return clip;
  }

  function readManifest(ctx: AuthedContext): SimReply {
    const sm = moduleOf(ctx);
    const cmd = commands.commands.get(Number(ctx.params.id));
    if (cmd?.kind !== 'ls_manifest' || cmd.targetId !== sm.id) return notFound('Manifest request not found');
    // Not finished yet: no `clips` key, which is what makes blinkpy retry (docs/blink-api.md, "Local storage").
    if (cmd.state === 'running' || cmd.manifest === null) {
      return jsonReply(200, { message: 'Manifest not ready', code: 0 });
    }
    const nameOf = (cameraId: number): string => state.devices.get(cameraId)?.name ?? 'unknown';
    // The size a download will really have: the MP4, or the declared size when padded.
    const sizeOf = (clip: SimUsbClip): number => deps.media.clip(clip.id)?.length ?? clip.size;
    const body = manifestBody(sm.manifestId, cmd.manifest, nameOf, sizeOf);
    return jsonReply(200, { ...body, clips: withRawEntries(ctx.account, 'manifest', body.clips) });
  }

  return [
    route(
      'POST',
      `${BASE}/manifest/request`,
      withAccount(deps, (ctx) => {
        const sm = moduleOf(ctx);
        const cmd = commands.create({ accountId: ctx.account.id, networkId: sm.networkId, kind: 'ls_manifest', targetId: sm.id });
        return jsonReply(200, shortCommandBody(cmd));
      }),
    ),
    route('GET', `${BASE}/manifest/request/:id`, withAccount(deps, readManifest)),
    route(
      'POST',
      `${BASE}/manifest/:m/clip/request/:clip`,
      withAccount(deps, (ctx) => {
        const sm = moduleOf(ctx);
        const clip = clipOf(ctx, sm);
        const cmd = commands.create({ accountId: ctx.account.id, networkId: sm.networkId, kind: 'ls_upload', targetId: sm.id, arg: clip.id });
        return jsonReply(200, shortCommandBody(cmd));
      }),
    ),
    route(
      'GET',
      `${BASE}/manifest/:m/clip/request/:clip`,
      withAccount(deps, (ctx) => {
        const clip = clipOf(ctx, moduleOf(ctx));
        return clip.uploaded ? mp4Reply(deps.media.clip(clip.id)) : notFound('Clip not uploaded yet');
      }),
    ),
    route(
      'POST',
      `${BASE}/manifest/:m/clip/delete/:clip`,
      withAccount(deps, (ctx) => {
        const sm = moduleOf(ctx);
        const clip = clipOf(ctx, sm);
        sm.usbClips = sm.usbClips.filter((c) => c !== clip);
        return jsonReply(200, { message: `Clip ${clip.id} deleted`, code: 0 });
      }),
    ),
  ];
}
