import { Readable } from 'node:stream';
import type { BlinkCamera } from '../../blink/types.js';
import { BlinkBusyError } from '../../errors.js';
import { UserError } from '../user-error.js';
import { arg } from '../command-args.js';
import { defineCommand } from '../define-command.js';
import { createTimeFormatter } from '../format-time.js';
import { findCamera, linkedOf } from '../lookup.js';
import { reply, type MediaSource } from '../reply.js';
import { trimMp4 } from '../trim-mp4.js';

export const LIVE_MIN_SECONDS = 5;
export const LIVE_MAX_SECONDS = 30;
const LIVE_DEFAULT_SECONDS = 10;

export function requireOnline(camera: BlinkCamera): void {
  if (camera.online === false) throw new UserError('camera_offline', `${camera.name} is offline. Check its power and Wi-Fi, then try again.`);
}

export const live = defineCommand({
  name: 'live',
  summary: `A ${LIVE_MIN_SECONDS}–${LIVE_MAX_SECONDS} s video of a camera's live view (default ${LIVE_DEFAULT_SECONDS} s)`,
  needs: 'session',
  audited: true,
  // `Front Door 5` → camera "Front Door", 5 seconds; a lone name keeps the default.
  args: [
    arg.camera({ required: true }),
    arg.int('seconds', {
      description: `Seconds, ${LIVE_MIN_SECONDS} to ${LIVE_MAX_SECONDS} (default ${LIVE_DEFAULT_SECONDS})`,
      min: LIVE_MIN_SECONDS,
      max: LIVE_MAX_SECONDS,
      default: LIVE_DEFAULT_SECONDS,
      outOfRange: `Live view lasts ${LIVE_MIN_SECONDS} to ${LIVE_MAX_SECONDS} seconds.`,
    }),
  ],
  run: async (ctx, deps) => {
    const { account } = linkedOf(ctx);
    const { camera, network } = await findCamera(account, ctx.args.camera, ctx.signal);
    requireOnline(camera);
    const seconds = ctx.args.seconds;
    const who = ctx.caller.displayName ?? ctx.caller.id;
    const taken = deps.liveWatchers.take(`${account.accountId}:${camera.id}`, who);
    if (!taken.ok) throw new UserError('live_busy', `${taken.watcher} is watching ${camera.name} live right now. Try again when they are done.`);
    try {
      const note = camera.capabilities.battery ? `Live view drains ${camera.name}'s battery.` : undefined;
      ctx.progress.action('record_video');
      // The note goes first: the progress line stays the last one, and ends in "…" while it runs.
      const progress = (s: number): string => [note, `● recording ${Math.min(s, seconds)}/${seconds} s from ${camera.name}…`].filter(Boolean).join('\n');
      await ctx.progress.update(progress(0));
      const clip = await account
        .liveView(camera, {
          seconds,
          ...(ctx.signal ? { signal: ctx.signal } : {}),
          onSeconds: (s) => void ctx.progress.update(progress(s)),
        })
        .catch((error: unknown) => {
          if (error instanceof BlinkBusyError) {
            throw new UserError('camera_busy', `${camera.name} is busy (a recording or another live view). Try again in a minute.`);
          }
          throw error;
        });
      ctx.progress.action('upload_video');
      const when = createTimeFormatter(deps.timeZone)(deps.clock.now());
      const caption = [[camera.name, network?.name, when].filter(Boolean).join(' · '), note].filter(Boolean).join('\n');
      return { reply: reply.media(liveSource(camera.name, clip.mp4, clip.durationSeconds), caption), auditDetail: `${camera.name} ${seconds}s` };
    } finally {
      taken.release();
    }
  },
});

/** The recorded MP4; over a platform's limit, a shorter cut of it (same start) with a note. */
function liveSource(cameraName: string, mp4: Uint8Array, durationSeconds: number): MediaSource {
  const filename = `${cameraName.replace(/[^A-Za-z0-9]+/g, '-')}-live.mp4`;
  const source: MediaSource = {
    kind: 'video',
    filename,
    sizeBytes: mp4.byteLength,
    async open() {
      return { stream: Readable.from([Buffer.from(mp4.buffer, mp4.byteOffset, mp4.byteLength)]), sizeBytes: mp4.byteLength };
    },
  };
  // The fallback is cut when needed: half the length, which fits when the first try was
  // less than twice the limit (Discord's 8-25 MiB against a few MiB a minute).
  const half = Math.max(1, Math.floor(durationSeconds / 2));
  let shorter: Uint8Array | undefined;
  source.fallback = {
    kind: 'video',
    filename,
    note: `The full ${Math.round(durationSeconds)} s video is too large to send here; these are its first ${half} s.`,
    async open() {
      shorter ??= await trimMp4(mp4, half);
      return { stream: Readable.from([Buffer.from(shorter.buffer, shorter.byteOffset, shorter.byteLength)]), sizeBytes: shorter.byteLength };
    },
  };
  return source;
}
