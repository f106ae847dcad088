import { renderHelp } from '../catalog.js';
import { defineCommand } from '../define-command.js';
import { reply } from '../reply.js';

export const start = defineCommand({
  name: 'start',
  summary: 'What this bot does',
  needs: 'nothing',
  discord: false,
  args: [],
  run: async (ctx, deps) => ({ reply: reply.text(renderHelp(deps.commands, { isAdmin: ctx.isAdmin })) }),
});

export const help = defineCommand({
  name: 'help',
  summary: 'What this bot does and the command list',
  needs: 'nothing',
  args: [],
  run: async (ctx, deps) => ({ reply: reply.text(renderHelp(deps.commands, { isAdmin: ctx.isAdmin })) }),
});
