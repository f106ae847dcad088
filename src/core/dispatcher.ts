/**
 * The core's one entry point. Every command, button press and plain message goes through
 * `handle`: allowlist and role checks (docs/chat-contract.md §3), session resolution, argument
 * validation, the command, the audit log, and error → reply text. It never throws.
 */
import { randomBytes } from 'node:crypto';
import type { BlinkSession } from '../db/index.js';
import { createBoundedMap } from './bounded-map.js';
import { createCommandBudget } from './command-budget.js';
import { chatAllowed } from './chat-access.js';
import type { Command, CommandDeps, CoreDeps, Linked } from './define-command.js';
import type { Dispatcher, Inbound, Outcome } from './inbound.js';
import { createLiveWatchers } from './live-watchers.js';
import { createLoginConversations } from './login-flow.js';
import { createPictureCache } from './picture-cache.js';
import { commands, findCommand } from './registry.js';
import { reply, type Progress } from './reply.js';
import { bugText, describeError, UserError } from './user-error.js';

/** State of one `handle` call that the error path needs. */
interface Attempt {
  command: Command | undefined;
  sessionId: string | undefined;
}

/** Nothing to send (plain chatter in a group, or in a chat that is not served). */
const nothing = (): Outcome => ({ reply: { parts: [] } });

export function notAllowedText(chatId: string): string {
  return `This chat (${chatId}) is not allowed to use this bot. An admin can allow it with /allow ${chatId}.`;
}

export function createDispatcher(deps: CoreDeps): Dispatcher {
  const { repos, sessions, clock, log } = deps;
  const newErrorId = deps.newErrorId ?? ((): string => randomBytes(3).toString('hex'));
  const logins = createLoginConversations({ ...deps, newErrorId });
  const commandDeps: CommandDeps = {
    ...deps,
    newErrorId,
    logins,
    commands,
    pictures: deps.pictures ?? createPictureCache(),
    liveWatchers: createLiveWatchers(),
  };
  const budget = createCommandBudget({ clock });
  /** Control buttons that already acted (by press id), for as long as a button lives. */
  const pressed = createBoundedMap<string, true>({ clock, maxEntries: 10_000, ttlMs: 24 * 60 * 60 * 1000 });

  const audit = (inbound: Inbound, action: string, result: 'ok' | 'error', target?: string, detail?: string): void => {
    repos.audit.record({
      at: clock.now(),
      actor: inbound.caller.id,
      chat: inbound.chat.id,
      action,
      target: target ?? null,
      result,
      detail: detail ?? null,
    });
  };

  async function route(inbound: Inbound, attempt: Attempt): Promise<Outcome> {
    const { chat, caller, event } = inbound;
    const allowed = chatAllowed(repos.allowlist, chat);
    const isAdmin = deps.config.admins.includes(caller.id);
    if (allowed) rememberAllowKeys(chat);

    if (event.type === 'text') {
      // Plain messages are not commands: in a chat that is not served they get no answer.
      if (!allowed) return nothing();
      const answered = await logins.handleText(inbound, event.text);
      if (answered) return answered;
      return chat.kind === 'private' ? { reply: reply.text('Send /help to see what I can do.') } : nothing();
    }

    const name = (event.type === 'command' ? event.name : event.command).replace(/^\//, '');
    if (allowed && event.type === 'command') {
      // While a login waits for the password or the code, this message is that value (docs/chat-contract.md §3).
      const answered = await logins.intercept(inbound, event);
      if (answered) return answered;
    }
    const command = findCommand(name);
    attempt.command = command;
    // The one exception to the allowlist: admins editing it (docs/chat-contract.md §3).
    // Private: on Discord only the caller sees it, the channel stays clean (Telegram ignores it).
    if (!allowed && !(command?.needs === 'admin' && isAdmin)) return { reply: reply.privateText(notAllowedText(chat.id)) };
    if (!command) throw new UserError('unknown_command', `There is no command /${name}. /help lists them.`);
    if (command.needs === 'admin' && !isAdmin) {
      throw new UserError('admins_only', `/${command.name} is for admins only.`);
    }
    if (command.groupOnly && chat.kind === 'private') {
      throw new UserError('group_only', `/${command.name} works in groups; a private chat always uses your own session.`);
    }

    const pressId = event.type === 'button' && command.once ? event.pressId : undefined;
    if (pressId !== undefined && pressed.has(pressId)) {
      return { reply: reply.text(`Already done: this button acts once. Send /${command.name} to do it again.`) };
    }

    let linked: Linked | undefined;
    let ownSession: BlinkSession | undefined;
    if (command.needs === 'session') {
      const session = sessions.sessionForChat(chat, caller);
      attempt.sessionId = session?.id;
      linked = sessions.accountForChat(chat, caller);
      if (!linked) {
        throw new UserError(
          'login_required',
          chat.kind === 'private'
            ? 'You are not logged in to Blink. Send /login first.'
            : 'This chat is not linked to a Blink account. Someone logged in can run /link here.',
        );
      }
      const waitMs = budget.take(linked.session.id);
      if (waitMs > 0) {
        throw new UserError('busy', `Too many commands for this Blink account just now; try again in ${Math.ceil(waitMs / 1000)} s (motion alerts go first).`);
      }
    } else if (command.needs === 'session-owner') {
      const chatLink = chat.kind === 'group' ? repos.links.get(chat.id) : undefined;
      if (chatLink && chatLink.linkedBy !== caller.id) {
        if (command.audited) audit(inbound, command.name, 'error', undefined, 'refused: not the owner');
        return {
          reply: reply.text(`Only the member who linked this chat can /${command.name} here.`),
        };
      }
      ownSession = repos.sessions.getByOwner(caller.id);
      attempt.sessionId = ownSession?.id;
      if (!ownSession) throw new UserError('login_required', 'You are not logged in to Blink.');
    }

    const raw = event.type === 'command' ? (event.options ?? command.parse(event.text ?? '')) : event.args;
    const outcome = await command.invoke(
      raw,
      { inbound, chat, caller, progress: safeProgress(inbound.progress), signal: inbound.signal, isAdmin, linked, ownSession },
      commandDeps,
    );
    const { auditDetail, ...rest } = outcome;
    if (pressId !== undefined) pressed.set(pressId, true);
    if (command.audited) audit(inbound, command.name, 'ok', auditDetail);
    // Denied while the command ran: the answer no longer goes there (an admin's own edit excepted).
    if (command.needs !== 'admin' && !chatAllowed(repos.allowlist, chat)) return nothing();
    return rest;
  }

  /** Links made before the bot recorded a chat's other keys learn them here (see chat-access.ts). */
  function rememberAllowKeys(chat: Inbound['chat']): void {
    const link = repos.links.get(chat.id);
    const keys = chat.aliases ?? [];
    if (link && (link.allowKeys === null || link.allowKeys.join(',') !== keys.join(','))) repos.links.setAllowKeys(chat.id, keys);
  }

  /** A Progress whose failures (a chat action that could not be sent) never fail the command. */
  function safeProgress(progress: Progress): Progress {
    return {
      async update(text) {
        try {
          await progress.update(text);
        } catch (error) {
          log.debug({ err: error }, 'progress update failed');
        }
      },
      action(kind) {
        try {
          progress.action(kind);
        } catch (error) {
          log.debug({ err: error }, 'progress action failed');
        }
      },
    };
  }

  function fail(inbound: Inbound, error: unknown, attempt: Attempt): Outcome {
    const described = describeError(error, newErrorId);
    if (described.needsLogin && attempt.sessionId) sessions.markNeedsLogin(attempt.sessionId);
    const fields = {
      err: error,
      command: attempt.command?.name,
      chat: inbound.chat.id,
      caller: inbound.caller.id,
      ...(described.errorId ? { errorId: described.errorId } : {}),
    };
    log[described.level](fields, described.errorId ? 'command failed unexpectedly' : 'command refused or failed');
    if (attempt.command?.audited) audit(inbound, attempt.command.name, 'error', undefined, codeOf(error));
    return { reply: reply.text(described.text), failed: true };
  }

  return {
    admits: (chat, caller) => chatAllowed(repos.allowlist, chat) || deps.config.admins.includes(caller.id),
    async handle(inbound) {
      const attempt: Attempt = { command: undefined, sessionId: undefined };
      try {
        const outcome = await route(inbound, attempt);
        return { ...outcome, reply: reply.requestedBy(outcome.reply, inbound.caller.id) };
      } catch (error) {
        try {
          return fail(inbound, error, attempt);
        } catch (secondary) {
          // Even the error path failed (e.g. the database is gone): still answer.
          const errorId = newErrorId();
          log.error({ err: secondary, first: error, errorId }, 'error handling failed');
          return { reply: reply.text(bugText(errorId)), failed: true };
        }
      }
    },
  };
}

function codeOf(error: unknown): string {
  if (error instanceof Error && 'code' in error && typeof error.code === 'string') return error.code;
  return 'unexpected';
}
