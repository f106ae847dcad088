import { z } from 'zod';
import { arg } from '../command-args.js';
import type { BlinkAccount, BlinkClip } from '../../blink/types.js';
import { UserError } from '../user-error.js';
import { defineCommand } from '../define-command.js';
import { createTimeFormatter } from '../format-time.js';
import { findCamera, linkedOf } from '../lookup.js';
import { reply, type MediaSource, type ReplyButton } from '../reply.js';

const PAGE_SIZE = 10;
/** media/changed pages read at most for one /clips page (each is one request). */
const MAX_PAGES = 5;

export const clips = defineCommand({
  name: 'clips',
  summary: 'The 10 newest cloud clips, each with a button to send it',
  needs: 'session',
  args: [
    arg.camera({ description: 'Only clips of this camera' }),
    // Set by the "More" button only.
    arg.internal('offset', z.coerce.number().int().min(0).max(1000)),
  ],
  run: async (ctx, deps) => {
    const { account } = linkedOf(ctx);
    const offset = ctx.args.offset ?? 0;
    const cameraId = ctx.args.camera ? (await findCamera(account, ctx.args.camera, ctx.signal)).camera.id : undefined;
    const wanted: BlinkClip[] = [];
    let hasMore = true;
    for (let page = 1; page <= MAX_PAGES && hasMore && wanted.length <= offset + PAGE_SIZE; page++) {
      const result = await account.listClips({ signal: ctx.signal, page });
      hasMore = result.hasMore;
      wanted.push(...result.clips.filter((c) => !c.deleted && (cameraId === undefined || c.cameraId === cameraId)));
    }
    const shown = wanted.slice(offset, offset + PAGE_SIZE);
    if (shown.length === 0) {
      return { reply: reply.text(offset > 0 ? 'No more clips.' : 'No clips in the cloud yet.') };
    }
    const time = createTimeFormatter(deps.timeZone);
    const lines = shown.map((c) => `${c.id}  ${c.cameraName}  ${time(c.createdAtMs)}`);
    const buttons: ReplyButton[][] = shown.map((c) => [
      { label: `${c.cameraName} · ${time(c.createdAtMs)}`, action: { command: 'clip', args: { clip: c.id } } },
    ]);
    if (wanted.length > offset + PAGE_SIZE || hasMore) {
      const args: Record<string, string> = { offset: String(offset + PAGE_SIZE) };
      if (ctx.args.camera) args.camera = ctx.args.camera;
      buttons.push([{ label: 'More', action: { command: 'clips', args } }]);
    }
    const title = offset > 0 ? `Clips ${offset + 1}–${offset + shown.length}, newest first:` : 'Newest clips:';
    return { reply: reply.text([title, ...lines].join('\n'), buttons) };
  },
});

export const clip = defineCommand({
  name: 'clip',
  summary: 'Send one cloud clip as a video',
  needs: 'session',
  args: [arg.clip({ description: 'Clip id (from /clips)', invalid: 'A clip id is what /clips shows, e.g. 12345.' })],
  run: async (ctx, deps) => {
    const { account } = linkedOf(ctx);
    ctx.progress.action('upload_video');
    const found = await findListedClip(account, ctx.args.clip, ctx.signal);
    if (!found) throw new UserError('unknown_clip', `No such clip: ${ctx.args.clip} (see /clips).`);
    if (found.deleted) throw new UserError('deleted_clip', `Clip ${found.id} was deleted.`);
    const when = createTimeFormatter(deps.timeZone)(found.createdAtMs);
    const caption = [found.cameraName, found.networkName, when].filter(Boolean).join(' · ');
    return { reply: reply.media(clipSource(account, found), caption) };
  },
});

/**
 * A clip among those /clips can show: at most MAX_PAGES pages, what a user could page by
 * hand, so an unknown id costs no more than that (Blink's own look-up would read more).
 */
async function findListedClip(account: BlinkAccount, id: string, signal: AbortSignal | undefined): Promise<BlinkClip | undefined> {
  for (let page = 1; page <= MAX_PAGES; page++) {
    const result = await account.listClips({ signal, page });
    const found = result.clips.find((c) => c.id === id);
    if (found || !result.hasMore) return found;
  }
  return undefined;
}

/** A cloud clip as a video, with its thumbnail as the fallback when it is too large. */
export function clipSource(account: BlinkAccount, clip: BlinkClip): MediaSource {
  return {
    kind: 'video',
    filename: `clip-${clip.id}.mp4`,
    cacheKey: `clip:${account.accountId}:${clip.id}`,
    async open(signal) {
      const download = await account.openClip(clip, { signal });
      return { stream: download.stream, ...(download.sizeBytes !== undefined ? { sizeBytes: download.sizeBytes } : {}) };
    },
    fallback: {
      kind: 'photo',
      filename: `clip-${clip.id}.jpg`,
      note: 'The video is too large to send here; this is its thumbnail.',
      async open(signal) {
        const download = await account.openClipThumbnail(clip, { signal });
        return { stream: download.stream, ...(download.sizeBytes !== undefined ? { sizeBytes: download.sizeBytes } : {}) };
      },
    },
  };
}
