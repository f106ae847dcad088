/**
 * Sync-module USB storage (docs/blink-api.md, "Local storage"): manifest request → poll → manifest read
 * (bounded retries while it has no clips), then per clip: upload request → poll → download.
 * 409 busy is retried with bounded backoff; the manifest id is remembered per network.
 */
import { BlinkAuthError, BlinkCommandError, BlinkNoLocalStorageError, BlinkRateLimitError } from '../errors.js';
import type { AccountContext } from './context.js';
import { readHomescreen, toInventory } from './inventory.js';
import { CommandStart, LocalManifest } from './schemas.js';
import type { CallOptions, LocalClip, MediaDownload, ProgressListener } from './types.js';

type Opts = CallOptions & { onProgress?: ProgressListener };

export interface LocalStorage {
  localClips(networkId: string, opts?: Opts): Promise<LocalClip[]>;
  openLocalClip(networkId: string, clipId: string, opts?: Opts): Promise<MediaDownload>;
}

const alnum = (s: string): string => s.replace(/[^a-z0-9]/gi, '');

export function createLocalStorage(ctx: AccountContext): LocalStorage {
  const manifests = new Map<string, { manifestId: string; syncModuleId: string }>();
  const basePath = (networkId: string, syncModuleId: string): string =>
    `/api/v1/accounts/${ctx.accountId}/networks/${networkId}/sync_modules/${syncModuleId}/local_storage`;

  async function backoff(n: number, opts?: Opts): Promise<void> {
    const d = ctx.options.busyBackoffMs * 2 ** (n - 1);
    await ctx.clock.sleep(d / 2 + ctx.random() * (d / 2), opts?.signal);
  }

  async function localClips(networkId: string, opts?: Opts): Promise<LocalClip[]> {
    const inv = toInventory(ctx.accountId, await readHomescreen(ctx, opts));
    const sm = inv.syncModules.find((s) => s.networkId === networkId);
    if (!sm?.localStorageActive) throw new BlinkNoLocalStorageError(networkId);
    const base = basePath(networkId, sm.id);
    const command = await ctx.withNetwork(networkId, async () => {
      for (let n = 1; ; n++) {
        const started = await ctx.retryBusy(() => ctx.post(CommandStart, `${base}/manifest/request`, 'local_storage/manifest/request', opts), opts);
        if (started.id !== undefined) {
          opts?.onProgress?.('manifest requested');
          await ctx.waitForCommand({ id: started.id, network_id: started.network_id ?? networkId }, opts);
          return started.id;
        }
        if (n >= ctx.options.busyAttempts) throw new BlinkCommandError('Blink did not start the local storage manifest', false);
        await backoff(n, opts);
      }
    });
    let manifest;
    for (let n = 1; ; n++) {
      manifest = await ctx.retryBusy(() => ctx.get(LocalManifest, `${base}/manifest/request/${command}`, 'local_storage/manifest', opts), opts);
      if (manifest.clips !== undefined && manifest.manifest_id !== undefined) break;
      if (n >= ctx.options.busyAttempts) throw new BlinkCommandError('The sync module did not deliver its clip list', true);
      await backoff(n, opts);
    }
    opts?.onProgress?.('manifest read');
    const manifestId = manifest.manifest_id;
    manifests.set(networkId, { manifestId, syncModuleId: sm.id });
    const byName = new Map(inv.cameras.map((c) => [alnum(c.name).toLowerCase(), c]));
    return (manifest.clips ?? []).map((c) => {
      const camera = byName.get(alnum(c.camera_name).toLowerCase());
      const clip: LocalClip = {
        id: c.id,
        manifestId,
        networkId,
        syncModuleId: sm.id,
        manifestCameraName: c.camera_name,
        createdAt: c.created_at,
        createdAtMs: Date.parse(c.created_at),
      };
      if (camera) {
        clip.cameraId = camera.id;
        clip.cameraName = camera.name;
      }
      if (c.size !== undefined) clip.sizeBytes = c.size;
      return clip;
    });
  }

  async function openLocalClip(networkId: string, clipId: string, opts?: Opts): Promise<MediaDownload> {
    if (!manifests.has(networkId)) await localClips(networkId, opts);
    const m = manifests.get(networkId);
    if (!m) throw new BlinkCommandError('No local storage manifest for this network', false);
    const path = `${basePath(networkId, m.syncModuleId)}/manifest/${m.manifestId}/clip/request/${clipId}`;
    await ctx.withNetwork(networkId, async () => {
      const started = await ctx.retryBusy(() => ctx.post(CommandStart, path, 'local_storage/clip/request', opts), opts);
      opts?.onProgress?.('upload requested');
      await ctx.waitForCommand({ ...started, network_id: started.network_id ?? networkId }, opts);
    });
    opts?.onProgress?.('downloading');
    for (let n = 1; ; n++) {
      try {
        return await ctx.media(path, 'video', 'local_storage/clip', opts);
      } catch (err) {
        // The upload may land a moment after its command completes (docs/blink-api.md, "Local storage").
        if (n >= ctx.options.busyAttempts || err instanceof BlinkAuthError || err instanceof BlinkRateLimitError) throw err;
        await backoff(n, opts);
      }
    }
  }

  return { localClips, openLocalClip };
}
