import { defineCommand, type Command } from '../define-command.js';
import { findNetwork, linkedOf } from '../lookup.js';
import { reply } from '../reply.js';
import { arg } from '../command-args.js';

function armCommand(armed: boolean): Command {
  const verb = armed ? 'arm' : 'disarm';
  return defineCommand({
    name: verb,
    summary: armed ? 'Arm a network' : 'Disarm a network',
    needs: 'session',
    audited: true,
    once: true,
    args: [arg.network()],
    run: async (ctx) => {
      const { account } = linkedOf(ctx);
      const { network } = await findNetwork(account, ctx.args.network, ctx.signal);
      await ctx.progress.update(`${armed ? 'Arming' : 'Disarming'} ${network.name}…`);
      // setArmed resolves once Blink's command completed, with the state Blink then reports.
      const result = await account.setArmed(network.id, armed, { signal: ctx.signal });
      const text =
        result.armed === armed
          ? `${network.name} is ${result.armed ? 'armed' : 'disarmed'}.`
          : `Blink completed the command, but reports ${network.name} as ${result.armed ? 'armed' : 'disarmed'}.`;
      return { reply: reply.text(text), auditDetail: network.name };
    },
  });
}

export const arm = armCommand(true);
export const disarm = armCommand(false);
