/**
 * One linked Blink account: the BlinkAccount surface over an AccountContext. A class: the
 * session manager keeps one per linked session for the life of the process, and methods on
 * the prototype cost nothing per account where closures cost ~1.5 KB each (10,000 accounts,
 * docs/performance.md, "Many accounts"). Call its methods on the object (never detached).
 */
import * as actions from './actions.js';
import * as clips from './clips.js';
import type { AccountContext } from './context.js';
import { inventory } from './inventory.js';
import { recordLive, type LiveOptions } from './live/live-view.js';
import { createLocalStorage, type LocalStorage } from './local-storage.js';
import { Notifications } from './schemas.js';
import type { BlinkAccount, BlinkCamera, BlinkClip, CallOptions, LiveRecordOptions, ProgressListener, Watermark } from './types.js';
import { z } from 'zod';

class Account implements BlinkAccount {
  /** USB storage state, made on first use (few accounts ever list local clips). */
  private local: LocalStorage | undefined;

  constructor(
    private readonly ctx: AccountContext,
    private readonly onLogout: (accountId: string) => void,
    private readonly live: LiveOptions,
  ) {}

  get accountId(): string {
    return this.ctx.accountId;
  }

  private get notificationsPath(): string {
    return `/api/v1/accounts/${this.ctx.accountId}/notifications/configuration`;
  }

  private localStorage(): LocalStorage {
    this.local ??= createLocalStorage(this.ctx);
    return this.local;
  }

  session() {
    return this.ctx.session.current();
  }
  inventory(opts?: CallOptions & { detailed?: boolean }) {
    return inventory(this.ctx, opts);
  }
  setArmed(networkId: string, armed: boolean, opts?: CallOptions) {
    return actions.setArmed(this.ctx, networkId, armed, opts);
  }
  setMotion(camera: BlinkCamera, enabled: boolean, opts?: CallOptions) {
    return actions.setMotion(this.ctx, camera, enabled, opts);
  }
  snap(camera: BlinkCamera, opts?: CallOptions & { onProgress?: ProgressListener }) {
    return actions.snap(this.ctx, camera, opts);
  }
  openThumbnail(camera: BlinkCamera, opts?: CallOptions) {
    return actions.openThumbnail(this.ctx, camera, opts);
  }
  recordClip(camera: BlinkCamera, opts?: CallOptions) {
    return actions.recordClip(this.ctx, camera, opts);
  }
  liveView(camera: BlinkCamera, opts: LiveRecordOptions) {
    return recordLive(this.ctx, this.live, camera, opts);
  }
  listClips(opts?: CallOptions & { since?: Date; page?: number }) {
    return clips.listClips(this.ctx, opts);
  }
  findClip(id: string, opts?: CallOptions) {
    return clips.findClip(this.ctx, id, opts);
  }
  changesSince(w: Watermark | undefined, opts?: CallOptions) {
    return clips.changesSince(this.ctx, w, opts);
  }
  openClip(clip: Pick<BlinkClip, 'id' | 'mediaPath'>, opts?: CallOptions) {
    return clips.openClip(this.ctx, clip, opts);
  }
  openClipThumbnail(clip: Pick<BlinkClip, 'id' | 'thumbnailPath'>, opts?: CallOptions) {
    return clips.openClipThumbnail(this.ctx, clip, opts);
  }
  localClips(networkId: string, opts?: CallOptions & { onProgress?: ProgressListener }) {
    return this.localStorage().localClips(networkId, opts);
  }
  openLocalClip(networkId: string, clipId: string, opts?: CallOptions & { onProgress?: ProgressListener }) {
    return this.localStorage().openLocalClip(networkId, clipId, opts);
  }
  async notificationFlags(opts?: CallOptions) {
    return (await this.ctx.get(Notifications, this.notificationsPath, 'notifications/configuration', opts)).notifications;
  }
  async setNotificationFlags(flags: Record<string, boolean>, opts?: CallOptions) {
    await this.ctx.post(z.unknown(), this.notificationsPath, 'notifications/configuration(post)', {
      ...opts,
      body: { notifications: flags },
      idempotent: true,
    });
  }
  async logout(opts?: CallOptions) {
    const ctx = this.ctx;
    const clientId = ctx.session.current().clientId ?? ctx.seenClientId;
    try {
      if (clientId !== undefined) {
        await ctx.post(z.unknown(), `/api/v4/account/${ctx.accountId}/client/${clientId}/logout`, 'account/client/logout', opts);
      }
    } catch (err) {
      ctx.log.info({ accountId: ctx.accountId, err: err instanceof Error ? err.name : 'unknown' }, 'blink logout failed (ignored)');
    } finally {
      this.onLogout(ctx.accountId);
    }
  }
}

const DEFAULT_LIVE: LiveOptions = {};

/** `onLogout` gets the account id, so one function serves every account. */
export function createBlinkAccount(ctx: AccountContext, onLogout: (accountId: string) => void, live: LiveOptions = DEFAULT_LIVE): BlinkAccount {
  return new Account(ctx, onLogout, live);
}
