import { Readable } from 'node:stream';
import type { BlinkAccount, BlinkCamera, BlinkInventory } from '../../blink/types.js';
import { defineCommand } from '../define-command.js';
import { formatAge } from '../format-time.js';
import { linkedOf } from '../lookup.js';
import { pickNetwork } from '../name-match.js';
import type { PictureCache } from '../picture-cache.js';
import { reply, type AlbumItem, type Reply } from '../reply.js';
import { arg } from '../command-args.js';

/**
 * The latest picture of every camera, as one album. No camera is asked for a new picture
 * (that is /snap): each shows the thumbnail Blink holds, and one already downloaded is
 * reused while Blink's reference to it is unchanged.
 */
export const pictures = defineCommand({
  name: 'pictures',
  summary: 'The latest picture of every camera, as one album',
  needs: 'session',
  args: [arg.network()],
  run: async (ctx, deps) => {
    const { account } = linkedOf(ctx);
    ctx.progress.action('upload_photo');
    const inventory = await account.inventory({ signal: ctx.signal });
    const network = ctx.args.network === undefined ? undefined : pickNetwork(inventory.networks, ctx.args.network);
    const cameras = inventory.cameras.filter((c) => network === undefined || c.networkId === network.id);
    return { reply: await picturesReply({ account, inventory, cameras, cache: deps.pictures, now: deps.clock.now(), signal: ctx.signal }) };
  },
});

interface PicturesInput {
  account: BlinkAccount;
  inventory: BlinkInventory;
  cameras: readonly BlinkCamera[];
  cache: PictureCache;
  now: number;
  signal: AbortSignal | undefined;
}

async function picturesReply(input: PicturesInput): Promise<Reply> {
  const { account, inventory, cache } = input;
  const withNetwork = new Set(input.cameras.map((c) => c.networkId)).size > 1;
  const missing: string[] = [];
  let firstError: unknown;
  const items = await Promise.all(
    input.cameras.map(async (camera): Promise<AlbumItem | undefined> => {
      if (!camera.thumbnail) {
        missing.push(`${camera.name} (no picture yet)`);
        return undefined;
      }
      try {
        const key = `${account.accountId}:${camera.id}:${camera.thumbnail}`;
        const bytes = await cache.get(key, () => account.openThumbnail(camera, { signal: input.signal }));
        const networkName = withNetwork ? inventory.networks.find((n) => n.id === camera.networkId)?.name : undefined;
        const age = camera.thumbnailAtMs === undefined ? undefined : formatAge(input.now - camera.thumbnailAtMs);
        return {
          media: {
            kind: 'photo',
            filename: `${camera.name.replace(/[^A-Za-z0-9]+/g, '-')}.jpg`,
            sizeBytes: bytes.length,
            open: () => Promise.resolve({ stream: Readable.from([bytes]), sizeBytes: bytes.length }),
          },
          caption: [camera.name, networkName, age].filter(Boolean).join(' · '),
        };
      } catch (error) {
        firstError ??= error;
        missing.push(`${camera.name} (could not fetch its picture)`);
        return undefined;
      }
    }),
  );
  const album = items.filter((item): item is AlbumItem => item !== undefined);
  if (album.length === 0) {
    // Nothing to show because Blink failed: say why, as every command does.
    if (firstError !== undefined) throw firstError;
    return reply.text(input.cameras.length === 0 ? 'No cameras here.' : 'No camera has a picture yet; /snap <camera> takes one.');
  }
  const parts = reply.album(album);
  return missing.length === 0 ? parts : reply.many(parts, reply.text(`No picture from ${missing.join(', ')}.`));
}
