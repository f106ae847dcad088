import { z } from 'zod';
import { defineCommand, words } from '../define-command.js';
import { findCamera, linkedOf, requireCapability } from '../lookup.js';
import { reply } from '../reply.js';
import { cameraOption, ON_OFF, stateOption } from './options.js';

export const motion = defineCommand({
  name: 'motion',
  summary: 'Turn motion detection on or off for one camera',
  usage: '/motion <camera> on|off',
  needs: 'session',
  audited: true,
  once: true,
  args: z.object({ camera: z.string(), state: z.enum(ON_OFF) }),
  options: [cameraOption(true), stateOption],
  // Camera names have spaces ("Front Door"): the state is the last word.
  parse: (text) => {
    const parts = words(text);
    const last = parts.at(-1)?.toLowerCase();
    return last === 'on' || last === 'off' ? { camera: parts.slice(0, -1).join(' '), state: last } : { camera: parts.join(' ') };
  },
  run: async (ctx) => {
    const { account } = linkedOf(ctx);
    const { camera } = await findCamera(account, ctx.args.camera, ctx.signal);
    requireCapability(camera, camera.capabilities.motionToggle, 'turn motion detection on or off');
    const wanted = ctx.args.state === 'on';
    // The camera comes last: the working line must not read like the final "Porch … on" reply.
    await ctx.progress.update(`Turning motion detection ${ctx.args.state} for ${camera.name}…`);
    const result = await account.setMotion(camera, wanted, { signal: ctx.signal });
    return {
      reply: reply.text(`Motion detection on ${camera.name} is ${result.enabled ? 'on' : 'off'}.`),
      auditDetail: `${camera.name} ${ctx.args.state}`,
    };
  },
});
