/**
 * Device actions (docs/blink-api.md, "Commands"): each starts a command, polls it to completion
 * and then reads back what Blink reports. Commands of one network run one at a time.
 */
import { BlinkCommandError } from '../errors.js';
import type { AccountContext } from './context.js';
import { readHomescreen, rereadCamera, thumbnailPath, toInventory } from './inventory.js';
import { CommandStart } from './schemas.js';
import type { BlinkCamera, CallOptions, MediaDownload, ProgressListener } from './types.js';

function devicePath(accountId: string, camera: BlinkCamera): string {
  switch (camera.family) {
    case 'owl':
      return `/api/v1/accounts/${accountId}/networks/${camera.networkId}/owls/${camera.id}`;
    case 'doorbell':
      return `/api/v1/accounts/${accountId}/networks/${camera.networkId}/doorbells/${camera.id}`;
    default:
      return `/network/${camera.networkId}/camera/${camera.id}`;
  }
}

function endpointOf(camera: BlinkCamera, action: string): string {
  const family = camera.family === 'owl' ? 'owls' : camera.family === 'doorbell' ? 'doorbells' : 'network/camera';
  return `${family}/${action}`;
}

async function startCommand(ctx: AccountContext, camera: BlinkCamera, action: string, opts?: CallOptions & { body?: unknown }): Promise<void> {
  const path = `${devicePath(ctx.accountId, camera)}/${action}`;
  const command = await ctx.retryBusy(() => ctx.post(CommandStart, path, endpointOf(camera, action), opts), opts);
  await ctx.waitForCommand(command, opts);
}

export async function setArmed(ctx: AccountContext, networkId: string, armed: boolean, opts?: CallOptions): Promise<{ armed: boolean }> {
  return ctx.withNetwork(networkId, async () => {
    const action = armed ? 'arm' : 'disarm';
    const command = await ctx.retryBusy(
      () => ctx.post(CommandStart, `/api/v1/accounts/${ctx.accountId}/networks/${networkId}/state/${action}`, `networks/state/${action}`, opts),
      opts,
    );
    await ctx.waitForCommand(command, opts);
    const network = toInventory(ctx.accountId, await readHomescreen(ctx, opts)).networks.find((n) => n.id === networkId);
    if (network?.armed === undefined) throw new BlinkCommandError(`Blink did not report the armed state of network ${networkId}`, false);
    return { armed: network.armed };
  });
}

export async function setMotion(ctx: AccountContext, camera: BlinkCamera, enabled: boolean, opts?: CallOptions): Promise<{ enabled: boolean }> {
  return ctx.withNetwork(camera.networkId, async () => {
    if (camera.family === 'owl') await startCommand(ctx, camera, 'config', { ...opts, body: { enabled } });
    else await startCommand(ctx, camera, enabled ? 'enable' : 'disable', opts);
    const fresh = await rereadCamera(ctx, camera, opts);
    if (fresh.motionEnabled === undefined) throw new BlinkCommandError(`Blink did not report motion detection of ${camera.name}`, false);
    return { enabled: fresh.motionEnabled };
  });
}

export async function recordClip(ctx: AccountContext, camera: BlinkCamera, opts?: CallOptions): Promise<void> {
  await ctx.withNetwork(camera.networkId, () => startCommand(ctx, camera, 'clip', opts));
}

export async function openThumbnail(ctx: AccountContext, camera: BlinkCamera, opts?: CallOptions): Promise<MediaDownload> {
  const path = thumbnailPath(ctx.accountId, camera);
  if (path === undefined) throw new BlinkCommandError(`${camera.name} has no thumbnail yet`, false);
  return ctx.media(path, 'image', 'thumbnail', opts);
}

/**
 * Takes a new picture and returns it: the thumbnail seen before the command is remembered,
 * and the camera is re-read (bounded, with backoff) until Blink reports a different one.
 */
export async function snap(ctx: AccountContext, camera: BlinkCamera, opts?: CallOptions & { onProgress?: ProgressListener }): Promise<MediaDownload> {
  const fresh = await ctx.withNetwork(camera.networkId, async () => {
    const before = (await rereadCamera(ctx, camera, opts)).thumbnail;
    opts?.onProgress?.('snap requested');
    await startCommand(ctx, camera, 'thumbnail', opts);
    opts?.onProgress?.('waiting for the new picture');
    for (let n = 1; ; n++) {
      const now = await rereadCamera(ctx, camera, opts);
      if (now.thumbnail !== undefined && now.thumbnail !== before) return now;
      if (n >= ctx.options.snapReadAttempts) {
        throw new BlinkCommandError(`Blink did not publish a new picture of ${camera.name}`, true);
      }
      await ctx.clock.sleep(ctx.options.snapBackoffMs * 2 ** (n - 1), opts?.signal);
    }
  });
  opts?.onProgress?.('downloading');
  return openThumbnail(ctx, fresh, opts);
}
