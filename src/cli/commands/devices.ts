/** `status`, `arm`, `disarm`, `motion`, `snap`: blinkpy's camera and sync-module examples. */
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { matchName, pickNetwork } from '../../core/name-match.js';
import type { CliContext } from '../context.js';
import { UsageError } from '../usage.js';

export async function status(ctx: CliContext): Promise<void> {
  const { account } = ctx.account();
  const inv = await account.inventory({ detailed: true });
  for (const network of inv.networks) {
    const armed = network.armed === undefined ? 'unknown' : network.armed ? 'armed' : 'disarmed';
    ctx.out(`${network.name}: ${armed}`);
    for (const c of inv.cameras.filter((cam) => cam.networkId === network.id)) {
      const fields = [
        c.online === undefined ? undefined : c.online ? 'online' : 'offline',
        c.motionEnabled === undefined ? undefined : `motion ${c.motionEnabled ? 'on' : 'off'}`,
        c.battery === undefined ? undefined : `battery ${c.battery}`,
        c.temperatureF === undefined ? undefined : `${c.temperatureF}°F`,
        c.wifiStrength === undefined ? undefined : `wifi ${c.wifiStrength}`,
      ].filter((f): f is string => f !== undefined);
      ctx.out(`  ${c.name} (${c.type}): ${fields.join(', ')}`);
    }
  }
}

export async function arm(ctx: CliContext, networkName: string | undefined, armed: boolean): Promise<void> {
  const { account } = ctx.account();
  const inv = await account.inventory();
  const network = pickNetwork(inv.networks, networkName);
  const result = await account.setArmed(network.id, armed);
  ctx.out(`${network.name}: ${result.armed ? 'armed' : 'disarmed'}`);
}

export async function motion(ctx: CliContext, cameraName: string | undefined, state: string | undefined): Promise<void> {
  if (!cameraName || (state !== 'on' && state !== 'off')) throw new UsageError('motion <camera> on|off');
  const { account } = ctx.account();
  const inv = await account.inventory();
  const camera = matchName(inv.cameras, cameraName, 'camera');
  const result = await account.setMotion(camera, state === 'on');
  ctx.out(`${camera.name}: motion detection ${result.enabled ? 'on' : 'off'}`);
}

export async function snap(ctx: CliContext, cameraName: string | undefined, out: string | undefined): Promise<void> {
  if (!cameraName || !out) throw new UsageError('snap --camera NAME --out file.jpg');
  const { account } = ctx.account();
  const inv = await account.inventory();
  const camera = matchName(inv.cameras, cameraName, 'camera');
  const picture = await account.snap(camera, { onProgress: (stage) => ctx.io.stderr.write(`${stage}\n`) });
  await pipeline(picture.stream, createWriteStream(out));
  ctx.out(`Saved a new picture from ${camera.name} to ${out}`);
}
