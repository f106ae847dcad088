import { withRawEntries } from './raw-entries.js';
import { badRequest, bytesReply, jsonReply, notFound, type SimReply } from './http-io.js';
import type { ClipBody } from './media-library.js';
import { currentMediaPath, legacyThumbnailTs } from './media-paths.js';
import { ReplyError, withAccount, type AuthedContext, type RestDeps } from './rest-context.js';
import { route, type Route } from './router.js';
import { mediaEntry } from './shapes-device.js';
import { parseSince } from './time-format.js';
import type { SimDevice } from './types.js';

/** Raw query value: URLSearchParams would turn blinkpy's unencoded `+` into a space. */
function rawParam(rawQuery: string, name: string): string | undefined {
  for (const part of rawQuery.split('&')) {
    const eq = part.indexOf('=');
    if (eq >= 0 && part.slice(0, eq) === name) return part.slice(eq + 1);
  }
  return undefined;
}

export function mp4Reply(body: ClipBody | undefined): SimReply {
  return body ? { status: 200, headers: { 'content-type': 'video/mp4' }, stream: body } : notFound('Media not found');
}

/** media/changed plus every thumbnail and clip path the simulator hands out (docs/blink-api.md, "Clips and media"). */
export function createMediaRoutes(deps: RestDeps): Route[] {
  const { state, media } = deps;

  function mediaDevice(ctx: AuthedContext): SimDevice {
    const device = state.devices.get(Number(ctx.params.c));
    if (!device || device.accountId !== ctx.account.id || String(device.networkId) !== ctx.params.n) {
      throw new ReplyError(notFound('Media not found'));
    }
    return device;
  }

  function changed(ctx: AuthedContext): SimReply {
    const rawSince = rawParam(ctx.rawQuery, 'since');
    const since = rawSince === undefined ? 0 : parseSince(rawSince);
    if (since === undefined) return badRequest(`Unreadable since: ${rawSince ?? ''}`);
    const pageRaw = Number.parseInt(ctx.query.get('page') ?? '1', 10);
    const page = Number.isFinite(pageRaw) && pageRaw > 0 ? pageRaw : 1;
    const size = deps.mediaPageSize;
    const items = ctx.account.media
      .filter((m) => m.updatedAt >= since)
      .sort((a, b) => b.createdAt - a.createdAt || b.id - a.id)
      .slice((page - 1) * size, page * size);
    const media = items.flatMap((m) => {
      const device = state.devices.get(m.deviceId);
      const network = device ? state.networks.get(device.networkId) : undefined;
      return device && network ? [mediaEntry(m, device, network)] : [];
    });
    const served = page === 1 ? withRawEntries(ctx.account, 'media', media) : media;
    return jsonReply(200, { limit: size, purge_id: 6999990, refresh_count: 0, media: served });
  }

  function clipOrThumb(ctx: AuthedContext): SimReply {
    const device = mediaDevice(ctx);
    const m = /^(\d+)\.(mp4|jpg)$/.exec(ctx.params.file ?? '');
    const item = m ? state.media.get(Number(m[1])) : undefined;
    if (!m || !item || item.deviceId !== device.id || item.deleted) return notFound('Media not found');
    if (m[2] === 'mp4') return mp4Reply(media.clip(item.id));
    const thumbnail = media.clipThumbnail(item.id);
    return thumbnail ? bytesReply('image/jpeg', thumbnail) : notFound('Media not found');
  }

  /**
   * Legacy v2 clip and thumbnail paths answer 302 to the v3 path on the same REST host, with
   * the REST prefix, so a client has to follow a redirect within Blink's host to get the bytes.
   */
  function legacyMedia(ctx: AuthedContext): SimReply {
    const kind = ctx.params.kind;
    const m = kind === 'clip' ? /^(\d+)\.mp4$/.exec(ctx.params.file ?? '') : kind === 'thumb' ? /^(\d+)\.jpg$/.exec(ctx.params.file ?? '') : null;
    const item = m ? state.media.get(Number(m[1])) : undefined;
    const device = item ? state.devices.get(item.deviceId) : undefined;
    if (!m || !item || !device || item.accountId !== ctx.account.id || item.deleted || (kind !== 'clip' && kind !== 'thumb')) {
      return notFound('Media not found');
    }
    return { status: 302, headers: { location: `/rest-${ctx.account.tier}${currentMediaPath(item, device, kind)}` } };
  }

  return [
    route('GET', '/api/v1/accounts/:a/media/changed', withAccount(deps, changed)),
    route(
      'GET',
      '/api/v3/media/accounts/:a/networks/:n/:type/:c/thumbnail/thumbnail.jpg',
      withAccount(deps, (ctx) => {
        const device = mediaDevice(ctx);
        const ts = Number.parseInt(ctx.query.get('ts') ?? String(device.thumbnailTs), 10);
        return bytesReply('image/jpeg', media.thumbnail(device.id, Number.isFinite(ts) ? ts : device.thumbnailTs));
      }),
    ),
    route(
      'GET',
      '/media/:tier/account/:a/network/:n/:type/:c/thumbnail/:file',
      withAccount(deps, (ctx) => {
        const device = mediaDevice(ctx);
        const ts = legacyThumbnailTs(ctx.params.file ?? '') ?? device.thumbnailTs;
        return bytesReply('image/jpeg', media.thumbnail(device.id, ts));
      }),
    ),
    route('GET', '/api/v3/media/accounts/:a/networks/:n/:type/:c/:source/:file', withAccount(deps, clipOrThumb)),
    route('GET', '/api/v2/accounts/:a/media/:kind/:file', withAccount(deps, legacyMedia)),
  ];
}
