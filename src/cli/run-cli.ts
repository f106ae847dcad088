/**
 * `blink-bot <command>` (from a checkout: `npm run blink -- <command>`): the bot's Blink
 * session and database from the command line. status, arm, disarm, motion, snap, live and
 * record are the chat commands themselves (commands/chat-commands.ts); login with a prompt
 * or a credentials file and a 2FA code, download (blinkpy's download_videos), local
 * storage, backup and rotate-key are the CLI's own. Exit codes: 0 ok, 1 failure with one
 * clear line, 2 usage (the first line says what is wrong) or a missing/wrong token key,
 * 130 when Ctrl-C stopped a chat command.
 */
import { parseArgs } from 'node:util';
import { LIVE_MAX_SECONDS, LIVE_MIN_SECONDS } from '../core/commands/live.js';
import { describeError, UserError } from '../core/user-error.js';
import { AppError, ConfigError, DatabaseLockedError, SecretKeyError } from '../errors.js';
import { backup } from './commands/backup.js';
import { motionText, runChatCommand } from './commands/chat-commands.js';
import { download } from './commands/download.js';
import { local, localClip } from './commands/local.js';
import { login, logout } from './commands/login.js';
import { rotateKey } from './commands/rotate-key.js';
import { CliError, openCliContext, type CliContext, type CliIo } from './context.js';
import { EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, InterruptedError, USAGE, UsageError } from './usage.js';

const OPTIONS = {
  credentials: { type: 'string' },
  code: { type: 'string' },
  camera: { type: 'string', multiple: true },
  out: { type: 'string' },
  seconds: { type: 'string' },
  dir: { type: 'string' },
  since: { type: 'string' },
  pages: { type: 'string' },
  delay: { type: 'string' },
  network: { type: 'string' },
  'new-key': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; strict: true }>>['values'];

/** One CLI command: the options it takes, a check that needs no database, and what it does. */
interface CliCommand {
  options: readonly (keyof typeof OPTIONS)[];
  /** Usage problems found before the database is opened. */
  check?(values: Values, rest: readonly string[]): void;
  run(ctx: CliContext, values: Values, rest: readonly string[]): Promise<void> | void;
}

const joined = (rest: readonly string[]): string => rest.join(' ');

/** The command table; a new command is one entry here and a line in USAGE. */
const CLI_COMMANDS: Record<string, CliCommand> = {
  login: {
    options: ['credentials', 'code'],
    run: (c, v) => login(c, { ...(v.credentials ? { credentials: v.credentials } : {}), ...(v.code ? { code: v.code } : {}) }),
  },
  logout: { options: [], run: (c) => logout(c) },
  status: { options: [], run: (c) => runChatCommand(c, 'status', '') },
  arm: { options: [], run: (c, _v, rest) => runChatCommand(c, 'arm', joined(rest)) },
  disarm: { options: [], run: (c, _v, rest) => runChatCommand(c, 'disarm', joined(rest)) },
  motion: {
    options: [],
    check: (_v, rest) => void motionText(joined(rest.slice(0, -1)), rest.at(-1)),
    run: (c, _v, rest) => runChatCommand(c, 'motion', motionText(joined(rest.slice(0, -1)), rest.at(-1))),
  },
  snap: {
    options: ['camera', 'out'],
    check: (v, rest) => {
      if (!(v.camera?.[0] ?? rest[0])) throw new UsageError('snap needs a camera: snap --camera "Front Door" --out front.jpg');
      if (!v.out) throw new UsageError('snap needs --out FILE for the picture: snap --camera "Front Door" --out front.jpg');
    },
    run: (c, v, rest) => runChatCommand(c, 'snap', v.camera?.[0] ?? joined(rest), v.out ? { out: v.out } : {}),
  },
  live: {
    options: ['camera', 'seconds', 'out'],
    check: (v) => {
      if (!v.camera?.[0]) throw new UsageError('live needs --camera: live --camera "Front Door" --seconds 10 --out front.mp4');
      if (!v.out) throw new UsageError('live needs --out FILE for the video: live --camera "Front Door" --seconds 10 --out front.mp4');
      liveSeconds(v.seconds);
    },
    run: (c, v) =>
      runChatCommand(
        c,
        'live',
        { camera: v.camera?.[0] ?? '', ...(v.seconds !== undefined ? { seconds: String(liveSeconds(v.seconds)) } : {}) },
        v.out ? { out: v.out } : {},
      ),
  },
  record: {
    options: ['camera', 'out'],
    check: (v) => {
      if (!v.camera?.[0]) throw new UsageError('record needs --camera: record --camera "Front Door" [--out clip.mp4]');
    },
    run: (c, v) => runChatCommand(c, 'record', { camera: v.camera?.[0] ?? '' }, v.out ? { out: v.out } : { outDefault: true }),
  },
  download: {
    options: ['dir', 'since', 'camera', 'pages', 'delay'],
    check: (v) => {
      if (!v.dir) throw new UsageError('download needs --dir, the folder to save the clips in');
    },
    run: (c, v) =>
      download(c, {
        dir: v.dir ?? '',
        ...(v.since !== undefined ? { since: v.since } : {}),
        cameras: v.camera ?? [],
        pages: positiveInt('pages', v.pages, 10),
        delaySeconds: seconds(v.delay, 1),
      }),
  },
  local: { options: [], run: (c, _v, rest) => local(c, rest[0]) },
  localclip: { options: ['out', 'network'], run: (c, v, rest) => localClip(c, rest[0], v.out, v.network) },
  backup: {
    options: [],
    check: (_v, rest) => {
      if (!rest[0]) throw new UsageError('backup needs the file to write, e.g. backup /data/backup.sqlite');
    },
    run: (c, _v, rest) => backup(c, rest[0]),
  },
  'rotate-key': {
    options: ['new-key'],
    check: (v) => {
      if (!v['new-key']) throw new UsageError('rotate-key needs --new-key: 64 hex digits or the base64 of 32 bytes');
    },
    run: (c, v) => rotateKey(c, v['new-key']),
  },
};

function positiveInt(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^[0-9]+$/.test(text) || Number(text) < 1) throw new UsageError(`--${name} takes a whole number of at least 1`);
  return Number(text);
}

function liveSeconds(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^[0-9]+$/.test(text) || n < LIVE_MIN_SECONDS || n > LIVE_MAX_SECONDS) {
    throw new UsageError(`--seconds takes a whole number from ${LIVE_MIN_SECONDS} to ${LIVE_MAX_SECONDS} (not "${text}")`);
  }
  return n;
}

function seconds(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^[0-9]+(\.[0-9]+)?$/.test(text) || !Number.isFinite(n)) throw new UsageError('--delay takes seconds, e.g. 1 or 0.5');
  return n;
}

function usageError(io: CliIo, what: string): number {
  io.stderr.write(`blink-bot: ${what}\n\n${USAGE}\n`);
  return EXIT_USAGE;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    return usageError(io, error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  const [name, ...rest] = positionals;
  if (values.help || name === 'help') {
    io.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }
  if (name === undefined) return usageError(io, 'no command given');
  const command = Object.hasOwn(CLI_COMMANDS, name) ? CLI_COMMANDS[name] : undefined;
  if (!command) return usageError(io, `unknown command "${name}"`);
  const extra = Object.keys(values).filter((k) => k !== 'help' && !(command.options as readonly string[]).includes(k));
  if (extra.length > 0) return usageError(io, `${name} does not take --${extra.join(', --')}`);

  let ctx: CliContext | undefined;
  try {
    command.check?.(values, rest);
    ctx = openCliContext(io);
    await command.run(ctx, values, rest);
    return EXIT_OK;
  } catch (error) {
    if (error instanceof UsageError) return usageError(io, error.message);
    if (error instanceof InterruptedError) {
      io.stderr.write('blink-bot: interrupted\n');
      return EXIT_INTERRUPTED;
    }
    io.stderr.write(`blink-bot: ${failureLine(error)}\n`);
    // A missing or wrong key is refused like the bot refuses to start: exit 2, nothing changed.
    return error instanceof SecretKeyError ? EXIT_USAGE : EXIT_FAILURE;
  } finally {
    await ctx?.close();
  }
}

function failureLine(error: unknown): string {
  if (error instanceof ConfigError) return error.problems.join('; ');
  if (error instanceof CliError || error instanceof UserError || error instanceof SecretKeyError || error instanceof DatabaseLockedError) {
    return error.message;
  }
  // The bot's own wording for Blink failures (busy, unavailable, wrong code), secrets never included.
  if (error instanceof AppError) return describeError(error, () => 'cli').text;
  return error instanceof Error ? error.message : String(error);
}
