/**
 * `status`, `arm`, `disarm`, `motion`, `snap`, `live`, `record`: the chat commands
 * themselves, run through the core dispatcher as the CLI's own private chat, so the CLI
 * prints what a chat shows and Blink is driven by one implementation. Progress goes to
 * stderr (status-line.ts), the reply to stdout; a picture or video is written to `--out`
 * (or, where the command allows it, to the file name the chat would show, in the current
 * folder). A reply the core marks as failed exits 1 with its text; Ctrl-C aborts the
 * command as a shutdown does (a live view ends its command) and exits 130.
 */
import { createWriteStream, rmSync } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { ChatContext, Caller } from '../../core/inbound.js';
import type { AlbumItem } from '../../core/reply.js';
import { CLI_OWNER, CliError, type CliContext } from '../context.js';
import { createStatusLine } from '../status-line.js';
import { InterruptedError, UsageError } from '../usage.js';

const CLI_CHAT: ChatContext = { id: CLI_OWNER, platform: 'cli', kind: 'private' };
const CALLER: Caller = { id: CLI_OWNER, displayName: 'command line' };

export interface ChatCommandOptions {
  /** The file for the media the command sends. */
  out?: string;
  /** Without `out`, save under the media's own file name in the current folder (else a usage error). */
  outDefault?: boolean;
}

/**
 * Runs chat command `name` with `input`: the text after the command as a chat would send
 * it, or named options as a Discord slash command carries them (no parsing guesswork).
 */
export async function runChatCommand(ctx: CliContext, name: string, input: string | Record<string, string>, options: ChatCommandOptions = {}): Promise<void> {
  // The CLI's own wording when there is no usable session (the chat's says "send /login").
  ctx.account();
  const progress = createStatusLine(ctx.io.stderr);
  const signal = ctx.io.signal;
  const outcome = await ctx.dispatcher
    .handle({
      chat: CLI_CHAT,
      caller: CALLER,
      event: typeof input === 'string' ? { type: 'command', name, text: input } : { type: 'command', name, options: input },
      progress,
      ...(signal ? { signal } : {}),
    })
    .finally(() => progress.finish());
  if (signal?.aborted) throw new InterruptedError();
  if (outcome.failed) {
    throw new CliError(
      outcome.reply.parts
        .map((p) => (p.type === 'text' ? p.text : ''))
        .join(' ')
        .trim(),
    );
  }
  const media: AlbumItem[] = [];
  for (const part of outcome.reply.parts) {
    if (part.type === 'text') ctx.out(part.text);
    else if (part.type === 'media') media.push({ media: part.media, ...(part.caption ? { caption: part.caption } : {}) });
    else media.push(...part.items);
  }
  if (media.length === 0) return;
  // The CLI's commands that send media (snap, live, record) send one file; --out names it.
  if (!options.out && !options.outDefault) throw new UsageError(`${name} sends a picture or video: give --out FILE to save it`);
  for (const [i, item] of media.entries()) {
    const out = options.out ?? path.basename(item.media.filename);
    const file = i === 0 ? out : `${out}.${i + 1}`;
    const { stream } = await item.media.open(signal);
    try {
      await pipeline(stream, createWriteStream(file), ...(signal ? [{ signal }] : []));
    } catch (error) {
      // Never leave half a file behind (Ctrl-C or a download that broke off).
      rmSync(file, { force: true });
      if (signal?.aborted) throw new InterruptedError();
      throw error;
    }
    // The caption's first line names the file; its other lines (a note) follow as they are.
    const [head, ...notes] = (item.caption ?? item.media.filename).split('\n');
    ctx.out(`${head}: saved to ${file}`);
    for (const note of notes) ctx.out(note);
  }
}

export function motionText(camera: string | undefined, state: string | undefined): string {
  if (!camera || (state !== 'on' && state !== 'off')) {
    throw new UsageError(`motion needs a camera and on or off, e.g. motion "Front Door" off${state && camera ? ` (not "${state}")` : ''}`);
  }
  return `${camera} ${state}`;
}
