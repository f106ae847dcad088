/** One linked Blink account: the BlinkAccount surface over an AccountContext. */
import * as actions from './actions.js';
import * as clips from './clips.js';
import type { AccountContext } from './context.js';
import { inventory } from './inventory.js';
import { recordLive, type LiveOptions } from './live/live-view.js';
import { createLocalStorage } from './local-storage.js';
import { Notifications } from './schemas.js';
import type { BlinkAccount } from './types.js';
import { z } from 'zod';

export function createBlinkAccount(ctx: AccountContext, onLogout: () => void, live: LiveOptions = {}): BlinkAccount {
  const local = createLocalStorage(ctx);
  const notificationsPath = `/api/v1/accounts/${ctx.accountId}/notifications/configuration`;
  return {
    accountId: ctx.accountId,
    session: () => ctx.session.current(),
    inventory: (opts) => inventory(ctx, opts),
    setArmed: (networkId, armed, opts) => actions.setArmed(ctx, networkId, armed, opts),
    setMotion: (camera, enabled, opts) => actions.setMotion(ctx, camera, enabled, opts),
    snap: (camera, opts) => actions.snap(ctx, camera, opts),
    openThumbnail: (camera, opts) => actions.openThumbnail(ctx, camera, opts),
    recordClip: (camera, opts) => actions.recordClip(ctx, camera, opts),
    liveView: (camera, opts) => recordLive(ctx, live, camera, opts),
    listClips: (opts) => clips.listClips(ctx, opts),
    findClip: (id, opts) => clips.findClip(ctx, id, opts),
    changesSince: (w, opts) => clips.changesSince(ctx, w, opts),
    openClip: (clip, opts) => clips.openClip(ctx, clip, opts),
    openClipThumbnail: (clip, opts) => clips.openClipThumbnail(ctx, clip, opts),
    localClips: (networkId, opts) => local.localClips(networkId, opts),
    openLocalClip: (networkId, clipId, opts) => local.openLocalClip(networkId, clipId, opts),
    async notificationFlags(opts) {
      return (await ctx.get(Notifications, notificationsPath, 'notifications/configuration', opts)).notifications;
    },
    async setNotificationFlags(flags, opts) {
      await ctx.post(z.unknown(), notificationsPath, 'notifications/configuration(post)', { ...opts, body: { notifications: flags }, idempotent: true });
    },
    async logout(opts) {
      const clientId = ctx.session.current().clientId ?? ctx.seenClientId;
      try {
        if (clientId !== undefined) {
          await ctx.post(z.unknown(), `/api/v4/account/${ctx.accountId}/client/${clientId}/logout`, 'account/client/logout', opts);
        }
      } catch (err) {
        ctx.log.info({ accountId: ctx.accountId, err: err instanceof Error ? err.name : 'unknown' }, 'blink logout failed (ignored)');
      } finally {
        onLogout();
      }
    },
  };
}
