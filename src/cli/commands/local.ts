/** `local` and `localclip`: the sync module's USB storage through the manifest flow (blinkpy README). */
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { pickNetwork } from '../../core/name-match.js';
import { CliError, type CliContext } from '../context.js';
import { UsageError } from '../usage.js';

export async function local(ctx: CliContext, networkName: string | undefined): Promise<void> {
  const { account } = ctx.account();
  const inv = await account.inventory();
  const network = pickNetwork(inv.networks, networkName);
  const clips = await account.localClips(network.id, { onProgress: (stage) => ctx.io.stderr.write(`${stage}\n`) });
  if (clips.length === 0) ctx.out(`${network.name}: no clips on local storage`);
  for (const clip of clips) {
    ctx.out(`${clip.id}\t${clip.cameraName ?? clip.manifestCameraName}\t${new Date(clip.createdAtMs).toISOString()}`);
  }
}

export async function localClip(ctx: CliContext, id: string | undefined, out: string | undefined, networkName: string | undefined): Promise<void> {
  if (!id || !out) throw new UsageError('localclip <id> --out file.mp4 [--network N]');
  const { account } = ctx.account();
  const inv = await account.inventory();
  const networks = networkName ? [pickNetwork(inv.networks, networkName)] : inv.networks;
  for (const network of networks) {
    const clips = await account.localClips(network.id);
    if (!clips.some((c) => c.id === id)) continue;
    const download = await account.openLocalClip(network.id, id, { onProgress: (stage) => ctx.io.stderr.write(`${stage}\n`) });
    await pipeline(download.stream, createWriteStream(out));
    ctx.out(`Saved local clip ${id} to ${out}`);
    return;
  }
  throw new CliError(`no local-storage clip ${id}; \`local\` lists them`);
}
