import { arg } from '../command-args.js';
import { parseChatRef, formatChatRef } from '../../config/chat-ref.js';
import { UserError } from '../user-error.js';
import { defineCommand, type Command } from '../define-command.js';
import { denyChat } from '../deny-chat.js';
import { reply } from '../reply.js';

function parseTarget(text: string): string {
  const parsed = parseChatRef(text);
  if (!parsed.ok) throw new UserError('bad_chat', `${parsed.problem}. Example: /allow tg:-100123 or /allow dc:123456789012345678`);
  return formatChatRef(parsed.ref);
}

function allowlistCommand(allow: boolean): Command {
  const name = allow ? 'allow' : 'deny';
  return defineCommand({
    name,
    summary: allow ? 'Admins: allow a chat to use this bot' : 'Admins: remove a chat from the allowlist',
    needs: 'admin',
    audited: true,
    args: [arg.text('chat', { required: true, description: 'tg:<chat id> or dc:<guild, channel or user id>', usage: '<tg:id|dc:id>' })],
    run: async (ctx, deps) => {
      const target = parseTarget(ctx.args.chat);
      if (allow) {
        const added = deps.repos.allowlist.add(target, ctx.caller.id, deps.clock.now()) === 'inserted';
        return { reply: reply.text(added ? `${target} may now use this bot.` : `${target} was already allowed.`), auditDetail: target };
      }
      const { removed, unlinked } = denyChat(deps.repos, target, deps.clock.now());
      const links = unlinked.length > 0 ? ` Unlinked: ${unlinked.join(', ')}; their owners are told.` : '';
      const text = removed ? `${target} is no longer allowed.${links}` : `${target} was not on the allowlist.${links}`;
      return { reply: reply.text(text), auditDetail: target };
    },
  });
}

export const allow = allowlistCommand(true);
export const deny = allowlistCommand(false);
