import type { BlinkAccount, BlinkCamera, BlinkClip } from '../../blink/types.js';
import { UserError } from '../user-error.js';
import { arg } from '../command-args.js';
import { defineCommand } from '../define-command.js';
import { createTimeFormatter } from '../format-time.js';
import { findCamera, linkedOf, requireCapability } from '../lookup.js';
import { reply } from '../reply.js';
import { clipSource } from './clips.js';
import { requireOnline } from './live.js';

/** How long /record waits for Blink to list the new clip, and how often it looks. */
const LIST_WAIT_MS = 120_000;
const LIST_EVERY_MS = 3000;
/** A request keeps covering a late clip this long after /record gave up (no motion alert for it). */
const LATE_GRACE_MS = 10 * 60_000;

export const record = defineCommand({
  name: 'record',
  summary: 'The camera records a clip now; it is sent here when Blink lists it',
  needs: 'session',
  audited: true,
  args: [arg.camera({ required: true })],
  run: async (ctx, deps) => {
    const { account, session } = linkedOf(ctx);
    const { camera, network } = await findCamera(account, ctx.args.camera, ctx.signal);
    requireCapability(camera, camera.capabilities.recordClip, 'record clips');
    requireOnline(camera);
    ctx.progress.action('record_video');
    await ctx.progress.update(`Asking ${camera.name} to record a clip…`);
    // Clips of this camera Blink lists now are not ours; anything newer is.
    const before = await cameraClips(account, camera, ctx.signal);
    const afterMs = before.reduce((m, c) => Math.max(m, c.createdAtMs), 0);
    const known = new Set(before.map((c) => c.id));
    const now = deps.clock.now();
    deps.repos.recordRequests.pruneBefore(now - 24 * 3600_000);
    const requestId = deps.repos.recordRequests.open({ sessionId: session.id, cameraId: camera.id, afterMs, now, ttlMs: LIST_WAIT_MS + LATE_GRACE_MS });
    await account.recordClip(camera, { signal: ctx.signal });
    const started = deps.clock.now();
    for (;;) {
      const waited = Math.round((deps.clock.now() - started) / 1000);
      await ctx.progress.update(`${camera.name} is recording. Waiting for Blink to list the clip (${waited} s)…`);
      const found = (await cameraClips(account, camera, ctx.signal)).find((c) => !known.has(c.id) && c.createdAtMs >= afterMs && !c.deleted);
      if (found) {
        deps.repos.recordRequests.claim(requestId, found.id);
        ctx.progress.action('upload_video');
        const when = createTimeFormatter(deps.timeZone)(found.createdAtMs);
        const caption = [found.cameraName, found.networkName ?? network?.name, when].filter(Boolean).join(' · ');
        return { reply: reply.media(clipSource(account, found), caption), auditDetail: `${camera.name} clip ${found.id}` };
      }
      if (deps.clock.now() - started + LIST_EVERY_MS > LIST_WAIT_MS) {
        throw new UserError(
          'record_not_listed',
          `${camera.name} recorded, but Blink has not listed the clip within ${LIST_WAIT_MS / 1000} s. /clips will show it later.`,
        );
      }
      await deps.clock.sleep(LIST_EVERY_MS, ctx.signal);
    }
  },
});

async function cameraClips(account: BlinkAccount, camera: BlinkCamera, signal?: AbortSignal): Promise<BlinkClip[]> {
  const { clips } = await account.listClips({ page: 1, ...(signal ? { signal } : {}) });
  return clips.filter((c) => c.cameraId === camera.id);
}
