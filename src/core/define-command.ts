/**
 * Commands are data: a name, texts for /help and the platforms' menus, who may run it, its
 * arguments (each declared once with command-args.ts, which yields the zod schema, the
 * Discord options, the usage line and the typed-text parser), and `run`. The dispatcher
 * finds a command by name and does authorization before `run`.
 */
import { z } from 'zod';
import type { BlinkAccount, BlinkService } from '../blink/types.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import { parseTyped, type Arg, type AutocompleteKind } from './command-args.js';
import type { Caller, ChatContext, Inbound, Outcome } from './inbound.js';
import type { LiveWatchers } from './live-watchers.js';
import type { LoginConversations } from './login-flow.js';
import type { PictureCache } from './picture-cache.js';
import type { Progress } from './reply.js';
import type { SessionManager } from './session-manager.js';
import { UserError } from './user-error.js';
import type { BlinkSession, Repositories } from '../db/index.js';

export type { AutocompleteKind } from './command-args.js';

/**
 * Who may run a command (docs/chat-contract.md §3). Every level except 'admin' also needs an allowlisted chat.
 * - nothing: anyone in an allowlisted chat (help, login)
 * - allowlisted: same, named for commands that touch this chat's settings without a session
 * - admin: an admin, from any chat, allowlisted or not
 * - session: the chat's session (private: the caller's own; group: the linker's)
 * - session-owner: as session, and the caller must own it
 */
type Need = 'nothing' | 'allowlisted' | 'admin' | 'session' | 'session-owner';

/** One Discord option (always a string on the wire), derived from an argument. */
interface OptionSpec {
  name: string;
  description: string;
  type: 'string' | { choices: readonly string[] };
  required: boolean;
  autocomplete?: AutocompleteKind;
}

type RawArgs = Record<string, string | undefined>;

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

/** The argument values `run` gets, by name, as the arguments' schemas produce them. */
type ArgsOf<As extends readonly Arg[]> = { [A in As[number] as A['name']]: A extends Arg<string, infer T> ? T : never };

interface CommandSpec<As extends readonly Arg[]> {
  name: string;
  /** One line, ≤ 100 characters (Discord's limit), used for /help and both menus. */
  summary: string;
  needs: Need;
  /**
   * For the caller's eyes only (login, pin, logout): where a platform can answer privately
   * in a shared chat, every reply is private from the first response (Discord: ephemeral).
   */
  private?: boolean;
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
  /** In order: the usage line, the Discord options and typed text follow it. */
  args: As;
  /** A second form the usage names after "or" ('off' for "/mute off"). */
  otherForm?: string;
  run(ctx: CommandContext<ArgsOf<As>>, deps: CommandDeps): Promise<CommandOutcome>;
}

/** What `run` returns: the Outcome, plus a non-secret detail for the audit log. */
interface CommandOutcome extends Outcome {
  auditDetail?: string;
}

/** A command with its argument type erased, as the registry and dispatcher hold it. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  /** E.g. '/motion <camera> on|off', from the arguments. */
  readonly usage: string;
  readonly needs: Need;
  readonly private: boolean;
  readonly groupOnly: boolean;
  readonly discord: boolean;
  readonly audited: boolean;
  readonly once: boolean;
  readonly args: readonly Arg[];
  readonly options: readonly OptionSpec[];
  /** Telegram/terminal argument text → raw arguments (validated by the schema afterwards). */
  parse(text: string): RawArgs;
  /** Validates raw arguments (UserError with the usage when they do not fit), then runs. */
  invoke(raw: RawArgs, ctx: Omit<CommandContext<unknown>, 'args'>, deps: CommandDeps): Promise<CommandOutcome>;
}

/** What a command's arguments yield: the usage line, the Discord options and one zod schema. */
function describeArgs(name: string, args: readonly Arg[], otherForm?: string): { usage: string; options: OptionSpec[]; schema: z.ZodType } {
  const shown = args.filter((a) => a.usage !== undefined);
  const usage = [`/${name}`, ...shown.map((a) => a.usage)].join(' ') + (otherForm === undefined ? '' : `  or  /${name} ${otherForm}`);
  const options = shown.map((a) => ({
    name: a.name,
    description: a.description,
    type: a.choices ? { choices: a.choices } : ('string' as const),
    required: a.required,
    ...(a.autocomplete ? { autocomplete: a.autocomplete } : {}),
  }));
  return { usage, options, schema: z.object(Object.fromEntries(args.map((a) => [a.name, a.schema]))) };
}

export function defineCommand<const As extends readonly Arg[]>(spec: CommandSpec<As>): Command {
  const { usage, options, schema } = describeArgs(spec.name, spec.args, spec.otherForm);
  return {
    name: spec.name,
    summary: spec.summary,
    usage,
    needs: spec.needs,
    private: spec.private ?? false,
    groupOnly: spec.groupOnly ?? false,
    discord: spec.discord ?? true,
    audited: spec.audited ?? false,
    once: spec.once ?? false,
    args: spec.args,
    options,
    parse: (text) => parseTyped(spec.args, text),
    async invoke(raw, ctx, deps) {
      // Empty strings mean "left out" for every front end (Telegram text, Discord options).
      const cleaned: RawArgs = {};
      for (const [key, value] of Object.entries(raw)) {
        const trimmed = value?.trim();
        if (trimmed) cleaned[key] = trimmed;
      }
      const parsed = schema.safeParse(cleaned);
      if (!parsed.success) {
        const message = parsed.error.issues[0]?.message;
        const why = message && !message.startsWith('Invalid') && !message.startsWith('Expected') ? `${message}\n` : '';
        throw new UserError('bad_arguments', `${why}Usage: ${usage}`);
      }
      // The schema is the arguments' own schemas by name, so its output is ArgsOf<As>.
      return spec.run({ ...ctx, args: parsed.data as ArgsOf<As> }, deps);
    },
  };
}
