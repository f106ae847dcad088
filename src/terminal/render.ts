/**
 * Reply → terminal text. Text prints as it is; buttons become numbered choices (the
 * caller keeps the numbers to map a typed digit back to a button); photos and videos are
 * saved under the media folder and their path printed. Knows nothing of the core's commands.
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Clock } from '../clock.js';
import type { MediaSource, Reply, ReplyButton } from '../core/reply.js';

export interface TerminalRenderer {
  /**
   * Prints `reply` with `lead` before its first line. Returns the buttons shown, in the
   * order of their numbers (`firstNumber`, default 1, then one up each), and the paths of saved media.
   */
  render(reply: Reply, options?: { lead?: string; signal?: AbortSignal; firstNumber?: number }): Promise<RenderResult>;
}

interface RenderResult {
  buttons: ReplyButton[];
  saved: string[];
  /** Media that could not be downloaded or written (a note was printed instead). */
  failures: string[];
}

export interface TerminalRendererDeps {
  write(text: string): void;
  /** Folder for photos and videos, created on first use. */
  mediaDir: string;
  clock: Clock;
}

/** `2026-06-27T12-00-00` in UTC: sortable, and legal in every file system. */
function stamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace(/:/g, '-');
}

function safeName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '');
  return cleaned === '' ? 'media' : cleaned.slice(0, 80);
}

export function createTerminalRenderer(deps: TerminalRendererDeps): TerminalRenderer {
  let counter = 0;

  const save = async (media: MediaSource, signal?: AbortSignal): Promise<string> => {
    await mkdir(deps.mediaDir, { recursive: true });
    counter += 1;
    const file = path.join(deps.mediaDir, `${stamp(deps.clock.now())}-${counter}-${safeName(media.filename)}`);
    const { stream } = await media.open(signal);
    await pipeline(stream, createWriteStream(file), ...(signal ? [{ signal }] : []));
    return file;
  };

  return {
    async render(reply, options = {}) {
      const buttons: ReplyButton[] = [];
      const saved: string[] = [];
      const failures: string[] = [];
      let lead = options.lead ?? '';
      const line = (text: string): void => {
        deps.write(`${lead}${text}\n`);
        lead = lead === '' ? '' : ' '.repeat([...lead].length);
      };
      const listButtons = (rows: ReplyButton[][] | undefined): void => {
        for (const button of (rows ?? []).flat()) {
          buttons.push(button);
          line(`  [${(options.firstNumber ?? 1) + buttons.length - 1}] ${button.label}`);
        }
      };
      const saveOne = async (media: MediaSource, caption: string | undefined): Promise<void> => {
        const icon = media.kind === 'photo' ? '📷' : '🎞️';
        try {
          const file = await save(media, options.signal);
          saved.push(file);
          line(`${icon} ${media.kind} saved to ${file}`);
        } catch (error) {
          // The terminal has no upload limit, but the download itself can fail.
          const why = error instanceof Error ? error.message : String(error);
          failures.push(why);
          line(`${icon} could not save the ${media.kind}: ${why}`);
        }
        if (caption) for (const text of caption.split('\n')) line(`   ${text}`);
      };
      for (const part of reply.parts) {
        if (part.type === 'text') {
          for (const text of part.text.split('\n')) line(text);
          listButtons(part.buttons);
          continue;
        }
        if (part.type === 'album') {
          for (const item of part.items) await saveOne(item.media, item.caption);
          continue;
        }
        await saveOne(part.media, part.caption);
        listButtons(part.buttons);
      }
      if (buttons.length > 0) line('  (type a number to choose)');
      return { buttons, saved, failures };
    },
  };
}
