/**
 * `status`, `arm`, `disarm`, `motion`, `snap`: the chat commands themselves, run through
 * the core dispatcher as the CLI's own private chat, so the CLI prints what a chat shows
 * and Blink is driven by one implementation. Progress goes to stderr, the reply to stdout;
 * a picture is written to `--out`. A reply the core marks as failed exits 1 with its text.
 */
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { ChatContext, Caller } from '../../core/inbound.js';
import type { AlbumItem } from '../../core/reply.js';
import { CLI_OWNER, CliError, type CliContext } from '../context.js';
import { UsageError } from '../usage.js';

export const CLI_CHAT: ChatContext = { id: CLI_OWNER, platform: 'cli', kind: 'private' };
const CALLER: Caller = { id: CLI_OWNER, displayName: 'command line' };

export async function runChatCommand(ctx: CliContext, name: string, text: string, options: { out?: string } = {}): Promise<void> {
  // The CLI's own wording when there is no usable session (the chat's says "send /login").
  ctx.account();
  const outcome = await ctx.dispatcher.handle({
    chat: CLI_CHAT,
    caller: CALLER,
    event: { type: 'command', name, text },
    progress: { update: async (line) => void ctx.io.stderr.write(`${line}\n`), action: () => undefined },
  });
  if (outcome.failed) {
    throw new CliError(outcome.reply.parts.map((p) => (p.type === 'text' ? p.text : '')).join(' ').trim());
  }
  const media: AlbumItem[] = [];
  for (const part of outcome.reply.parts) {
    if (part.type === 'text') ctx.out(part.text);
    else if (part.type === 'media') media.push({ media: part.media, ...(part.caption ? { caption: part.caption } : {}) });
    else media.push(...part.items);
  }
  if (media.length === 0) return;
  // The CLI's commands that send media (snap) send one picture; --out names its file.
  if (!options.out) throw new UsageError(`${name} sends a picture or video: give --out FILE to save it`);
  for (const [i, item] of media.entries()) {
    const file = i === 0 ? options.out : `${options.out}.${i + 1}`;
    const { stream } = await item.media.open();
    await pipeline(stream, createWriteStream(file));
    ctx.out(`${item.caption ?? item.media.filename}: saved to ${file}`);
  }
}

export function motionText(camera: string | undefined, state: string | undefined): string {
  if (!camera || (state !== 'on' && state !== 'off')) {
    throw new UsageError(`motion needs a camera and on or off, e.g. motion "Front Door" off${state && camera ? ` (not "${state}")` : ''}`);
  }
  return `${camera} ${state}`;
}
