/**
 * Commands are data: a name, texts for /help and the platforms' menus, who may run it, a
 * zod schema for its arguments, Discord option metadata, a parser for Telegram-style text,
 * and `run`. The dispatcher finds a command by name and does authorization before `run`.
 */
import type { z } from 'zod';
import type { BlinkAccount, BlinkService } from '../blink/types.js';
import type { Clock } from '../clock.js';
import { UserError } from './user-error.js';
import type { Logger } from '../log.js';
import type { Caller, ChatContext, Inbound, Outcome } from './inbound.js';
import type { LiveWatchers } from './live-watchers.js';
import type { LoginConversations } from './login-flow.js';
import type { PictureCache } from './picture-cache.js';
import type { Progress } from './reply.js';
import type { SessionManager } from './session-manager.js';
import type { BlinkSession, Repositories } from '../db/index.js';

/**
 * Who may run a command (docs/chat-contract.md §3). Every level except 'admin' also needs an allowlisted chat.
 * - nothing: anyone in an allowlisted chat (help, login)
 * - allowlisted: same, named for commands that touch this chat's settings without a session
 * - admin: an admin, from any chat, allowlisted or not
 * - session: the chat's session (private: the caller's own; group: the linker's)
 * - session-owner: as session, and the caller must own it
 */
type Need = 'nothing' | 'allowlisted' | 'admin' | 'session' | 'session-owner';

export type AutocompleteKind = 'camera' | 'network' | 'clip';

/** One Discord option (always a string on the wire). */
export interface OptionSpec {
  name: string;
  description: string;
  type: 'string' | { choices: readonly string[] };
  required: boolean;
  autocomplete?: AutocompleteKind;
}

export type RawArgs = Record<string, string | undefined>;

interface CoreConfig {
  /** Caller ids of admins ('tg:42', 'dc:123'). */
  admins: readonly string[];
}

export interface CoreDeps {
  repos: Repositories;
  blink: BlinkService;
  sessions: SessionManager;
  config: CoreConfig;
  clock: Clock;
  log: Logger;
  /** IANA zone for times shown in chats. */
  timeZone: string;
  /** Error ids for unexpected failures; default random hex. */
  newErrorId?: () => string;
  /** Camera pictures already downloaded; default a new in-memory cache. */
  pictures?: PictureCache;
}

export interface CommandDeps extends CoreDeps {
  logins: LoginConversations;
  /** The registry, for /help. */
  commands: readonly Command[];
  pictures: PictureCache;
  /** Who watches which camera live (one live view per camera). */
  liveWatchers: LiveWatchers;
}

/** The chat's session and its Blink client, resolved before `run` for 'session' needs. */
export interface Linked {
  session: BlinkSession;
  account: BlinkAccount;
}

export interface CommandContext<A> {
  args: A;
  inbound: Inbound;
  chat: ChatContext;
  caller: Caller;
  progress: Progress;
  signal: AbortSignal | undefined;
  isAdmin: boolean;
  /** Present when the command needs a session. */
  linked: Linked | undefined;
  /** 'session-owner' commands: the caller's own session (may need login), when they have one. */
  ownSession: BlinkSession | undefined;
}

interface CommandSpec<A> {
  name: string;
  /** One line, ≤ 100 characters (Discord's limit), used for /help and both menus. */
  summary: string;
  /** E.g. '/motion <camera> on|off'. */
  usage: string;
  needs: Need;
  /** Refused in groups. */
  privateOnly?: boolean;
  /** Refused in private chats. */
  groupOnly?: boolean;
  /** Not offered as a Discord slash command (/start). */
  discord?: boolean;
  /** Recorded in the audit log with who, where and the result. */
  audited?: boolean;
  /**
   * A control action: a button for it acts once; pressing the same button again answers
   * that it was already done (typing the command again always runs it).
   */
  once?: boolean;
  args: z.ZodType<A>;
  options: readonly OptionSpec[];
  /** Telegram/terminal argument text → raw arguments (validated by `args` afterwards). */
  parse?: (text: string) => RawArgs;
  run(ctx: CommandContext<A>, deps: CommandDeps): Promise<CommandOutcome>;
}

/** What `run` returns: the Outcome, plus a non-secret detail for the audit log. */
interface CommandOutcome extends Outcome {
  auditDetail?: string;
}

/** A command with its argument type erased, as the registry and dispatcher hold it. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  readonly needs: Need;
  readonly privateOnly: boolean;
  readonly groupOnly: boolean;
  readonly discord: boolean;
  readonly audited: boolean;
  readonly once: boolean;
  readonly options: readonly OptionSpec[];
  parse(text: string): RawArgs;
  /** Validates raw arguments (UserError with the usage when they do not fit), then runs. */
  invoke(raw: RawArgs, ctx: Omit<CommandContext<unknown>, 'args'>, deps: CommandDeps): Promise<CommandOutcome>;
}

const noArgs = (): RawArgs => ({});

export function defineCommand<A>(spec: CommandSpec<A>): Command {
  return {
    name: spec.name,
    summary: spec.summary,
    usage: spec.usage,
    needs: spec.needs,
    privateOnly: spec.privateOnly ?? false,
    groupOnly: spec.groupOnly ?? false,
    discord: spec.discord ?? true,
    audited: spec.audited ?? false,
    once: spec.once ?? false,
    options: spec.options,
    parse: spec.parse ?? noArgs,
    async invoke(raw, ctx, deps) {
      // Empty strings mean "left out" for every front end (Telegram text, Discord options).
      const cleaned: RawArgs = {};
      for (const [key, value] of Object.entries(raw)) {
        const trimmed = value?.trim();
        if (trimmed) cleaned[key] = trimmed;
      }
      const parsed = spec.args.safeParse(cleaned);
      if (!parsed.success) {
        const message = parsed.error.issues[0]?.message;
        const why = message && !message.startsWith('Invalid') && !message.startsWith('Expected') ? `${message}\n` : '';
        throw new UserError('bad_arguments', `${why}Usage: ${spec.usage}`);
      }
      return spec.run({ ...ctx, args: parsed.data }, deps);
    },
  };
}

/** Splits argument text on whitespace. */
export function words(text: string): string[] {
  return text.trim().split(/\s+/).filter((w) => w.length > 0);
}
