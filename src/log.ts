import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';

export type Logger = PinoLogger;

/** Field names whose values are secrets wherever they appear. */
const SECRET_KEYS = [
  'password',
  'code',
  'pin',
  'token',
  'accessToken',
  'refreshToken',
  'access_token',
  'refresh_token',
  'authorization',
  'Authorization',
  'secretKey',
  'secret_key',
  'botToken',
  'bot_token',
  'sealedTokens',
  'TELEGRAM_BOT_TOKEN',
  'DISCORD_TOKEN',
  'SECRET_KEY',
  'cookie',
  'set-cookie',
] as const;

/** Masked partially: an email address is not a secret, but needs no full display. */
const PARTIAL_KEYS = ['email'] as const;

/**
 * fast-redact has no "any depth" wildcard, so the paths cover the key at the top level and
 * up to three objects down (`*.token`, `*.*.token`, `*.*.*.token`), which covers
 * `{ err: { request: { headers: { authorization } } } }`-style objects we log.
 */
function redactPaths(): string[] {
  const paths: string[] = [];
  for (const key of [...SECRET_KEYS, ...PARTIAL_KEYS]) {
    const segment = /^[A-Za-z_$][\w$]*$/.test(key) ? key : `["${key}"]`;
    const join = (prefix: string): string => (segment.startsWith('[') ? `${prefix}${segment}` : `${prefix}.${segment}`);
    paths.push(segment.startsWith('[') ? segment : key, join('*'), join('*.*'), join('*.*.*'));
  }
  return paths;
}

/** `jane.doe@example.com` → `j***@example.com`. */
export function maskEmail(value: string): string {
  const at = value.lastIndexOf('@');
  if (at < 1) return '[Redacted]';
  return `${value.slice(0, 1)}***${value.slice(at)}`;
}

function censor(value: unknown, path: string[]): unknown {
  const last = path[path.length - 1];
  // An error's `code` (ECONNRESET, blink_api) is what makes a log line useful. Blink 2FA
  // codes are digits, so a `code` made only of letters and underscores is shown as is.
  if (last === 'code' && typeof value === 'string' && /^[A-Za-z_]+$/.test(value)) return value;
  if (last === 'email') return typeof value === 'string' ? maskEmail(value) : '[Redacted]';
  return '[Redacted]';
}

export interface CreateLoggerOptions {
  /** pino level; default `info`. */
  readonly level?: string;
  /** Where lines go; default stdout. Tests pass a stream and read it. */
  readonly destination?: DestinationStream;
}

/**
 * The one logger factory. Redaction is configured here, once, for every secret field name
 * (passwords, 2FA codes, tokens, authorization headers, keys) at any of the first four
 * levels of a logged object. Secrets must still never be interpolated into messages.
 */
export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const pinoOptions = {
    level: options.level ?? 'info',
    base: undefined,
    redact: { paths: redactPaths(), censor },
  };
  return options.destination ? pino(pinoOptions, options.destination) : pino(pinoOptions);
}

/** A logger that writes nothing, for tests and tools. */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}
