import { z } from 'zod';
import { arg } from '../command-args.js';
import { defineCommand } from '../define-command.js';
import { reply } from '../reply.js';

export const login = defineCommand({
  name: 'login',
  summary: 'Log in to your Blink account (private chat)',
  needs: 'nothing',
  private: true,
  // Discord sends email and password from its modal; typed text is never taken as credentials.
  args: [arg.internal('email', z.string()), arg.internal('password', z.string()), arg.hiddenText('text')],
  run: async (ctx, deps) => {
    const { email, password } = ctx.args;
    if (email !== undefined && password !== undefined) {
      return deps.logins.submitCredentials(ctx.inbound, email, password);
    }
    // "/login me@x.com hunter2" would put a password in the chat: delete it, never use it.
    const carried = ctx.args.text !== undefined ? { deleteInbound: true } : {};
    if (ctx.chat.kind === 'group') {
      return { reply: reply.text('For your safety, /login only works in a private chat: open a private chat with me and send /login there.'), ...carried };
    }
    const outcome = deps.logins.start(ctx.inbound);
    return { ...outcome, ...carried };
  },
});

export const pin = defineCommand({
  name: 'pin',
  summary: 'Send the 2FA code Blink sent you',
  needs: 'nothing',
  private: true,
  args: [arg.text('code', { required: true, description: 'The verification code from Blink', join: '' })],
  run: async (ctx, deps) => deps.logins.submitCode(ctx.inbound, ctx.args.code),
});

export const cancel = defineCommand({
  name: 'cancel',
  summary: 'Stop a login in progress',
  needs: 'nothing',
  args: [],
  run: async (ctx, deps) => deps.logins.cancel(ctx.inbound),
});

export const logout = defineCommand({
  name: 'logout',
  summary: 'End your Blink session and delete its tokens and links',
  needs: 'session-owner',
  private: true,
  audited: true,
  args: [],
  run: async (ctx, deps) => {
    const session = ctx.ownSession;
    if (!session) return { reply: reply.privateText('You are not logged in to Blink.') };
    if (session.state === 'linked') {
      try {
        await deps.sessions.accountForSession(session).logout({ signal: ctx.signal });
      } catch (error) {
        // Best effort: the tokens are deleted here whatever Blink says.
        deps.log.info({ err: error }, 'Blink logout failed; deleting the session anyway');
      }
    }
    deps.sessions.remove(session.id);
    return { reply: reply.privateText('Logged out. Your Blink tokens and this session’s chat links are deleted.') };
  },
});
