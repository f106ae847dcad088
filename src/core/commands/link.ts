import { defineCommand } from '../define-command.js';
import { reply } from '../reply.js';
import { SESSION_EXPIRED_TEXT, UserError } from '../user-error.js';

export const link = defineCommand({
  name: 'link',
  summary: 'Use your Blink session in this group (alerts on)',
  needs: 'allowlisted',
  groupOnly: true,
  audited: true,
  args: [],
  run: async (ctx, deps) => {
    const { repos, clock } = deps;
    const existing = repos.links.get(ctx.chat.id);
    if (existing && existing.linkedBy !== ctx.caller.id) {
      throw new UserError('linked_by_other', 'This chat is already linked to another member’s Blink session; only they can /unlink it.');
    }
    const session = repos.sessions.getByOwner(ctx.caller.id);
    if (!session) throw new UserError('login_required', 'Log in first: open a private chat with me and send /login.');
    if (session.state === 'needs-login' || session.sealedTokens === null) throw new UserError('login_required', SESSION_EXPIRED_TEXT);
    repos.links.link({ chat: ctx.chat.id, sessionId: session.id, linkedBy: ctx.caller.id, allowKeys: ctx.chat.aliases ?? [] }, clock.now());
    const who = ctx.caller.displayName ?? 'your';
    return {
      reply: reply.text(
        `This chat now uses ${who === 'your' ? 'your' : `${who}’s`} Blink session. Motion alerts arrive here. ` +
          'Everyone here can use /status, /arm, /disarm, /motion, /snap and /clips; only the person who linked it can /unlink.',
      ),
    };
  },
});

export const unlink = defineCommand({
  name: 'unlink',
  summary: 'Stop using your Blink session in this group',
  needs: 'session-owner',
  groupOnly: true,
  audited: true,
  args: [],
  run: async (ctx, deps) => {
    if (!deps.repos.links.unlink(ctx.chat.id)) throw new UserError('not_linked', 'This chat is not linked.');
    return { reply: reply.text('Unlinked: this chat no longer uses a Blink session and gets no alerts.') };
  },
});
