import type { BlinkAccount, BlinkCamera, MediaDownload } from '../../blink/types.js';
import { arg } from '../command-args.js';
import { defineCommand } from '../define-command.js';
import { createTimeFormatter } from '../format-time.js';
import { findCamera, linkedOf, requireCapability } from '../lookup.js';
import { reply, type MediaSource } from '../reply.js';

export const snap = defineCommand({
  name: 'snap',
  summary: 'Take a new picture with a camera',
  needs: 'session',
  audited: true,
  once: true,
  args: [arg.camera({ required: true })],
  run: async (ctx, deps) => {
    const { account } = linkedOf(ctx);
    const { camera, network } = await findCamera(account, ctx.args.camera, ctx.signal);
    requireCapability(camera, camera.capabilities.snap, 'take pictures');
    ctx.progress.action('upload_photo');
    await ctx.progress.update(`Taking a picture with ${camera.name}…`);
    const picture = await account.snap(camera, { signal: ctx.signal });
    const when = createTimeFormatter(deps.timeZone)(deps.clock.now());
    const caption = [camera.name, network?.name, when].filter(Boolean).join(' · ');
    return { reply: reply.media(snapSource(account, camera, picture), caption), auditDetail: camera.name };
  },
});

/**
 * The new picture, handed out once; a retry re-opens the camera's thumbnail, which after
 * the snap is that same new picture. The camera is read again first: its thumbnail
 * reference from before the snap points at the old picture.
 */
function snapSource(account: BlinkAccount, camera: BlinkCamera, picture: MediaDownload): MediaSource {
  let first: MediaDownload | undefined = picture;
  return {
    kind: 'photo',
    filename: `${camera.name.replace(/[^A-Za-z0-9]+/g, '-')}.jpg`,
    ...(picture.sizeBytes !== undefined ? { sizeBytes: picture.sizeBytes } : {}),
    async open(signal) {
      const download = first ?? (await openCurrentThumbnail(account, camera, signal));
      first = undefined;
      return { stream: download.stream, ...(download.sizeBytes !== undefined ? { sizeBytes: download.sizeBytes } : {}) };
    },
  };
}

async function openCurrentThumbnail(account: BlinkAccount, camera: BlinkCamera, signal?: AbortSignal): Promise<MediaDownload> {
  const inventory = await account.inventory({ signal });
  const fresh = inventory.cameras.find((c) => c.id === camera.id) ?? camera;
  return account.openThumbnail(fresh, { signal });
}
