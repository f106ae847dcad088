import { arg } from '../command-args.js';
import { defineCommand } from '../define-command.js';
import { findCamera, linkedOf, requireCapability } from '../lookup.js';
import { reply } from '../reply.js';
import { onOffState } from './options.js';

export const motion = defineCommand({
  name: 'motion',
  summary: 'Turn motion detection on or off for one camera',
  needs: 'session',
  audited: true,
  once: true,
  // Camera names have spaces ("Front Door"): the state is the last word.
  args: [arg.camera({ required: true }), onOffState()],
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
