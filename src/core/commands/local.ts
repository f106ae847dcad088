import type { BlinkAccount, BlinkInventory, BlinkNetwork, MediaDownload } from '../../blink/types.js';
import { UserError } from '../user-error.js';
import { arg } from '../command-args.js';
import { defineCommand } from '../define-command.js';
import { createTimeFormatter } from '../format-time.js';
import { findNetwork, linkedOf } from '../lookup.js';
import { reply, type MediaSource, type Progress, type ReplyButton } from '../reply.js';

const SHOWN = 10;

function requireLocalStorage(inventory: BlinkInventory, network: BlinkNetwork): void {
  const sync = inventory.syncModules.find((s) => s.networkId === network.id);
  if (!sync) throw new UserError('no_sync_module', `${network.name} has no sync module, so it has no local storage.`);
  if (!sync.localStorageActive) {
    throw new UserError('no_local_storage', `The sync module of ${network.name} has no usable USB storage.`);
  }
}

/** Blink's manifest flow takes several round trips: show each stage as a working message. */
function stageReporter(progress: Progress, network: BlinkNetwork): (stage: string) => void {
  return (stage) => {
    void progress.update(`${network.name}: ${stage}…`).catch(() => undefined);
  };
}

export const local = defineCommand({
  name: 'local',
  summary: 'Clips on the sync module’s USB storage',
  needs: 'session',
  args: [arg.network()],
  run: async (ctx, deps) => {
    const { account } = linkedOf(ctx);
    const { inventory, network } = await findNetwork(account, ctx.args.network, ctx.signal);
    requireLocalStorage(inventory, network);
    ctx.progress.action('typing');
    await ctx.progress.update(`Asking the sync module of ${network.name} for its clip list…`);
    const clips = await account.localClips(network.id, { signal: ctx.signal, onProgress: stageReporter(ctx.progress, network) });
    if (clips.length === 0) return { reply: reply.text(`No clips on the local storage of ${network.name}.`) };
    const newest = [...clips].sort((a, b) => b.createdAtMs - a.createdAtMs).slice(0, SHOWN);
    const time = createTimeFormatter(deps.timeZone);
    const name = (c: (typeof newest)[number]): string => c.cameraName ?? c.manifestCameraName;
    const lines = newest.map((c) => `${c.id}  ${name(c)}  ${time(c.createdAtMs)}`);
    const buttons: ReplyButton[][] = newest.map((c) => [
      { label: `${name(c)} · ${time(c.createdAtMs)}`, action: { command: 'localclip', args: { clip: c.id, network: network.id } } },
    ]);
    const more = clips.length > SHOWN ? `\n(${clips.length - SHOWN} older clips not shown)` : '';
    return { reply: reply.text([`Local clips on ${network.name}, newest first:`, ...lines].join('\n') + more, buttons) };
  },
});

export const localclip = defineCommand({
  name: 'localclip',
  summary: 'Fetch a clip from the sync module’s USB storage',
  needs: 'session',
  args: [arg.clip({ description: 'Local clip id (from /local)', invalid: 'A local clip id is what /local shows.' }), arg.network()],
  run: async (ctx, deps) => {
    const { account } = linkedOf(ctx);
    const { inventory, network } = await findNetwork(account, ctx.args.network, ctx.signal);
    requireLocalStorage(inventory, network);
    ctx.progress.action('upload_video');
    await ctx.progress.update(`Asking the sync module of ${network.name} to upload clip ${ctx.args.clip}…`);
    const onProgress = stageReporter(ctx.progress, network);
    // The clip list first (one manifest, what /local reads): an unknown id gets a clear answer
    // instead of a failed upload request, and the upload then uses that fresh manifest.
    const listed = (await account.localClips(network.id, { signal: ctx.signal, onProgress })).find((c) => c.id === ctx.args.clip);
    if (!listed) {
      throw new UserError('unknown_clip', `No such clip: ${ctx.args.clip} on ${network.name} (see /local).`);
    }
    const video = await account.openLocalClip(network.id, ctx.args.clip, { signal: ctx.signal, onProgress });
    // Like a cloud clip's: camera, network and when it was recorded (not when it was fetched).
    const recorded = createTimeFormatter(deps.timeZone)(listed.createdAtMs);
    const caption = [listed.cameraName ?? listed.manifestCameraName, network.name, recorded, `local clip ${listed.id}`].join(' · ');
    return { reply: reply.media(localSource(account, network, ctx.args.clip, video), caption) };
  },
});

/** The fetched clip handed out once; a retry runs the manifest flow again. */
function localSource(account: BlinkAccount, network: BlinkNetwork, clipId: string, video: MediaDownload): MediaSource {
  let first: MediaDownload | undefined = video;
  return {
    kind: 'video',
    filename: `local-${clipId}.mp4`,
    ...(video.sizeBytes !== undefined ? { sizeBytes: video.sizeBytes } : {}),
    async open(signal) {
      const download = first ?? (await account.openLocalClip(network.id, clipId, { signal }));
      first = undefined;
      return { stream: download.stream, ...(download.sizeBytes !== undefined ? { sizeBytes: download.sizeBytes } : {}) };
    },
  };
}
