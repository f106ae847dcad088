/**
 * `npm run blink -- <command>`: the bot's Blink session and database from the command line,
 * at parity with blinkpy's scripted examples (login with a prompt or a credentials file and
 * a 2FA key, arm/disarm, motion, snap, download_videos, local storage). Exit codes: 0 ok,
 * 1 failure with one clear line, 2 usage.
 */
import { parseArgs } from 'node:util';
import { describeError } from '../core/user-error.js';
import { AppError, ConfigError, DatabaseLockedError, SecretKeyError, UserError } from '../errors.js';
import { backup } from './commands/backup.js';
import { arm, motion, snap, status } from './commands/devices.js';
import { download } from './commands/download.js';
import { local, localClip } from './commands/local.js';
import { login, logout } from './commands/login.js';
import { rotateKey } from './commands/rotate-key.js';
import { CliError, openCliContext, type CliContext, type CliIo } from './context.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, USAGE, UsageError } from './usage.js';

const OPTIONS = {
  credentials: { type: 'string' },
  code: { type: 'string' },
  camera: { type: 'string', multiple: true },
  out: { type: 'string' },
  dir: { type: 'string' },
  since: { type: 'string' },
  pages: { type: 'string' },
  delay: { type: 'string' },
  network: { type: 'string' },
  'new-key': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Which options each command takes; anything else is a usage error. */
const ALLOWED: Record<string, readonly string[]> = {
  login: ['credentials', 'code'],
  logout: [],
  status: [],
  arm: [],
  disarm: [],
  motion: [],
  snap: ['camera', 'out'],
  download: ['dir', 'since', 'camera', 'pages', 'delay'],
  local: [],
  localclip: ['out', 'network'],
  backup: [],
  'rotate-key': ['new-key'],
};

function positiveInt(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^[0-9]+$/.test(text) || Number(text) < 1) throw new UsageError(`--${name} takes a whole number of at least 1`);
  return Number(text);
}

function seconds(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^[0-9]+(\.[0-9]+)?$/.test(text) || !Number.isFinite(n)) throw new UsageError('--delay takes seconds, e.g. 1 or 0.5');
  return n;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    io.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || command === 'help') {
    io.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }
  const allowed = command === undefined ? undefined : ALLOWED[command];
  if (command === undefined || allowed === undefined) {
    io.stderr.write(`${command === undefined ? 'No command given.' : `Unknown command "${command}".`}\n\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  const extra = Object.keys(values).filter((k) => k !== 'help' && !allowed.includes(k));
  if (extra.length > 0) {
    io.stderr.write(`${command} does not take --${extra.join(', --')}\n\n${USAGE}\n`);
    return EXIT_USAGE;
  }

  let ctx: CliContext | undefined;
  try {
    const run = async (c: CliContext): Promise<void> => {
      switch (command) {
        case 'login':
          return login(c, { ...(values.credentials ? { credentials: values.credentials } : {}), ...(values.code ? { code: values.code } : {}) });
        case 'logout':
          return logout(c);
        case 'status':
          return status(c);
        case 'arm':
        case 'disarm':
          return arm(c, rest[0], command === 'arm');
        case 'motion':
          return motion(c, rest[0], rest[1]);
        case 'snap':
          return snap(c, values.camera?.[0], values.out);
        case 'download':
          if (!values.dir) throw new UsageError('download needs --dir');
          return download(c, {
            dir: values.dir,
            ...(values.since !== undefined ? { since: values.since } : {}),
            cameras: values.camera ?? [],
            pages: positiveInt('pages', values.pages, 10),
            delaySeconds: seconds(values.delay, 1),
          });
        case 'local':
          return local(c, rest[0]);
        case 'localclip':
          return localClip(c, rest[0], values.out, values.network);
        case 'backup':
          return backup(c, rest[0]);
        case 'rotate-key':
          return rotateKey(c, values['new-key']);
        default:
          throw new UsageError(`unknown command ${command}`);
      }
    };
    // Usage problems that need no database are caught before opening it.
    if ((command === 'backup' && !rest[0]) || (command === 'download' && !values.dir)) {
      throw new UsageError(command === 'backup' ? 'backup <file>' : 'download needs --dir');
    }
    ctx = openCliContext(io);
    await run(ctx);
    return EXIT_OK;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`${error.message}\n\n${USAGE}\n`);
      return EXIT_USAGE;
    }
    io.stderr.write(`blink: ${failureLine(error)}\n`);
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
