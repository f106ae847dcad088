import type { BlinkCamera, BlinkClip, BlinkInventory } from '../../blink/types.js';
import { defineCommand } from '../define-command.js';
import { createTimeFormatter, type TimeFormatter } from '../format-time.js';
import { linkedOf } from '../lookup.js';
import { reply } from '../reply.js';

export const status = defineCommand({
  name: 'status',
  summary: 'Networks armed or not, and every camera’s sensors',
  needs: 'session',
  args: [],
  run: async (ctx, deps) => {
    const { account } = linkedOf(ctx);
    ctx.progress.action('typing');
    // One page of clips is enough for "last motion": it is newest first. It only adds that
    // field, so a clip list Blink cannot give now leaves it out instead of failing /status.
    const clipsRead = account.listClips({ signal: ctx.signal, page: 1 }).then(
      (page) => page.clips,
      (error: unknown) => {
        if (ctx.signal?.aborted) throw error;
        deps.log.warn({ err: error }, '/status without last motion: the clip list could not be read');
        return undefined;
      },
    );
    const [inventory, clips] = await Promise.all([account.inventory({ signal: ctx.signal, detailed: true }), clipsRead]);
    let text = renderStatus(inventory, clips ?? [], createTimeFormatter(deps.timeZone));
    if (clips === undefined && inventory.cameras.length > 0) text += '\n\n(Last motion unknown: Blink did not give the clip list just now.)';
    const buttons = inventory.cameras.length > 0 ? [[{ label: 'Pictures', action: { command: 'pictures', args: {} } }]] : undefined;
    return { reply: reply.text(text, buttons) };
  },
});

/** One block per network; fields a camera does not report are left out (docs/chat-contract.md §4). */
function renderStatus(inventory: BlinkInventory, clips: readonly BlinkClip[], time: TimeFormatter): string {
  const newest = new Map<string, number>();
  for (const clip of clips) {
    if (clip.deleted) continue;
    const seen = newest.get(clip.cameraId);
    if (seen === undefined || clip.createdAtMs > seen) newest.set(clip.cameraId, clip.createdAtMs);
  }
  if (inventory.networks.length === 0) return 'This Blink account has no networks.';
  const blocks = inventory.networks.map((network) => {
    const armed = network.armed === undefined ? 'armed state unknown' : network.armed ? 'armed' : 'disarmed';
    const sync = inventory.syncModules.find((s) => s.networkId === network.id);
    const head = `${network.name}: ${armed}${sync?.online === false ? ' (sync module offline)' : ''}`;
    const cameras = inventory.cameras.filter((c) => c.networkId === network.id);
    const lines = cameras.map((camera) => `• ${camera.name}: ${cameraFields(camera, newest.get(camera.id), time).join(', ')}`);
    return [head, ...(lines.length ? lines : ['• no cameras'])].join('\n');
  });
  return blocks.join('\n\n');
}

function cameraFields(camera: BlinkCamera, lastMotionMs: number | undefined, time: TimeFormatter): string[] {
  const fields: string[] = [];
  if (camera.online !== undefined) fields.push(camera.online ? 'online' : 'OFFLINE');
  if (camera.motionEnabled !== undefined) fields.push(`motion ${camera.motionEnabled ? 'on' : 'off'}`);
  if (camera.battery !== undefined || camera.batteryLevel !== undefined) {
    const bars = camera.batteryLevel !== undefined ? ` (${camera.batteryLevel}/3)` : '';
    fields.push(`battery ${camera.battery ?? ''}${bars}`.replace('battery  (', 'battery ('));
  }
  if (camera.temperatureF !== undefined) {
    const c = Math.round(((camera.temperatureF - 32) * 5) / 9);
    fields.push(`${Math.round(camera.temperatureF)}°F / ${c}°C`);
  }
  if (camera.wifiStrength !== undefined) {
    fields.push(camera.wifiStrength < 0 ? `wifi ${camera.wifiStrength} dBm` : `wifi ${camera.wifiStrength}/5`);
  }
  if (lastMotionMs !== undefined) fields.push(`last motion ${time(lastMotionMs)}`);
  return fields;
}
