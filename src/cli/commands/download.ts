/**
 * `download`: blinkpy's `download_videos(path, since=, camera=, stop=, delay=)`. Reads
 * media/changed pages 1..N (N default 10, like blinkpy's `stop`), keeps clips recorded at
 * or after `since` from the chosen cameras, skips deleted clips and files already there,
 * and names files like blinkpy: slugify(`<camera>-<created_at>`).mp4. Progress goes to stderr.
 */
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { BlinkClip } from '../../blink/types.js';
import type { CliContext } from '../context.js';
import { createProgressBar } from '../progress-bar.js';
import { UsageError } from '../usage.js';

export interface DownloadOptions {
  dir: string;
  since?: string;
  cameras: string[];
  pages: number;
  delaySeconds: number;
}

/**
 * blinkpy accepts "2017/09/21" and "2018/07/04 09:34" (local time); ISO 8601 works too.
 * Returns epoch ms, or throws UsageError.
 */
function parseSince(text: string): number {
  const m = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(text.trim());
  if (m) {
    const [, y, mo, d, h, mi, s] = m;
    const date = new Date(Number(y), Number(mo) - 1, Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0));
    if (!Number.isNaN(date.getTime())) return date.getTime();
  }
  const iso = Date.parse(text);
  if (!Number.isNaN(iso) && /\d{4}-\d{2}-\d{2}T/.test(text)) return iso;
  throw new UsageError(`--since "${text}" is not a date like "2018/07/04 09:34"`);
}

/** python-slugify's rule, enough for blinkpy file names. */
function slugify(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** blinkpy's file name for a clip. */
export function clipFileName(clip: Pick<BlinkClip, 'cameraName' | 'createdAt'>): string {
  return `${slugify(`${clip.cameraName}-${clip.createdAt}`)}.mp4`;
}

export async function download(ctx: CliContext, options: DownloadOptions): Promise<void> {
  const sinceMs = options.since === undefined ? 0 : parseSince(options.since);
  const wanted = new Set(options.cameras.map((c) => c.trim().toLocaleLowerCase('en')));
  const { account } = ctx.account();
  await mkdir(options.dir, { recursive: true });

  const chosen: BlinkClip[] = [];
  const seen = new Set<string>();
  let skippedExisting = 0;
  let skippedDeleted = 0;
  for (let page = 1; page <= options.pages; page++) {
    const { clips, hasMore } = await account.listClips({ since: new Date(sinceMs), page });
    for (const clip of clips) {
      if (seen.has(clip.id)) continue;
      seen.add(clip.id);
      if (clip.createdAtMs < sinceMs) continue;
      if (wanted.size > 0 && !wanted.has(clip.cameraName.toLocaleLowerCase('en'))) continue;
      if (clip.deleted) {
        skippedDeleted++;
        continue;
      }
      if (existsSync(path.join(options.dir, clipFileName(clip)))) {
        skippedExisting++;
        continue;
      }
      chosen.push(clip);
    }
    if (!hasMore || clips.length === 0) break;
  }

  const bar = createProgressBar(ctx.io.stderr);
  let done = 0;
  for (const clip of chosen) {
    const name = clipFileName(clip);
    bar.update(done, chosen.length, name);
    const target = path.join(options.dir, name);
    const partial = `${target}.part`;
    try {
      const media = await account.openClip(clip);
      await pipeline(media.stream, createWriteStream(partial));
      // Renamed only when complete, so an interrupted run never leaves a file that a later
      // run would skip as "existing".
      await rename(partial, target);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
    done++;
    bar.print(target, ctx.out);
    bar.update(done, chosen.length, done === chosen.length ? '' : name);
    if (options.delaySeconds > 0 && done < chosen.length) await ctx.clock.sleep(options.delaySeconds * 1000);
  }
  bar.finish(`Downloaded ${done} clip(s) to ${options.dir}; skipped ${skippedExisting} existing, ${skippedDeleted} deleted.`);
}
