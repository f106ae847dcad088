import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../errors.js';
import { type ChatRef, parseChatRef } from './chat-ref.js';
import { restUrlForTier } from './rest-url.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface TelegramConfig {
  readonly token: string;
  /** No trailing slash. */
  readonly apiRoot: string;
  readonly uploadLimitBytes: number;
}

export interface DiscordConfig {
  readonly token: string;
  readonly applicationId: string;
  /** No trailing slash. */
  readonly apiRoot: string;
  /** For unprompted posts (alerts); replies use the interaction's own limit. */
  readonly uploadLimitBytes: number;
}

/** Everything the bot reads from the environment, parsed once and deeply frozen. */
export interface Config {
  /** Present when TELEGRAM_BOT_TOKEN is set. */
  readonly telegram: TelegramConfig | null;
  /** Present when DISCORD_TOKEN (and DISCORD_APPLICATION_ID) are set. */
  readonly discord: DiscordConfig | null;
  readonly blink: {
    /** May contain `{tier}`; fill it with `restUrlForTier`. */
    readonly restUrlTemplate: string;
    /** No trailing slash. */
    readonly oauthUrl: string;
    /** Extra CA (PEM file) trusted for the live view relay; tests and simulators only. */
    readonly liveCaFile?: string;
    /** Live view relay hosts allowed besides Blink's own (`host` or `host:port`). */
    readonly liveHosts?: readonly string[];
  };
  /** Absolute path of the SQLite file. */
  readonly databasePath: string;
  /**
   * A fresh copy of the 32-byte SECRET_KEY, or undefined when unset (then a key file is
   * used). A function so that logging or serialising the config never shows the key.
   */
  readonly secretKey: () => Buffer | undefined;
  readonly allowedChats: readonly ChatRef[];
  readonly adminUsers: readonly ChatRef[];
  readonly pollIntervalSeconds: number;
  /**
   * RETENTION_DAYS: clips seen, settled alerts, the audit log and cached file ids older than
   * this are deleted (docs/endurance.md, "Retention"). At least 1: a day is far beyond the
   * poll window and the alert age limit, so de-duplication stays safe.
   */
  readonly retentionDays: number;
  readonly logLevel: LogLevel;
  /** IANA zone for times shown in chats and for quiet hours. */
  readonly timeZone: string;
  /** Port for /healthz and /metrics on 127.0.0.1, or null when off. */
  readonly httpPort: number | null;
}

export interface LoadConfigOptions {
  /** `npm start`: refuse to run with neither Telegram nor Discord configured. */
  readonly requireFrontEnd?: boolean;
}

const MB = 1024 * 1024;

/** Blank values count as unset, as `.env` files often carry `NAME=`. */
const optionalText = z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v), z.string().optional());

function integerIn(min: number, max: number) {
  return optionalText.transform((text, ctx): number | undefined => {
    if (text === undefined) return undefined;
    if (!/^[0-9]+$/.test(text)) {
      ctx.issues.push({ code: 'custom', input: text, message: `must be a whole number from ${min} to ${max}` });
      return z.NEVER;
    }
    const n = Number(text);
    if (n < min || n > max) {
      ctx.issues.push({ code: 'custom', input: text, message: `must be from ${min} to ${max}, got ${n}` });
      return z.NEVER;
    }
    return n;
  });
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

function httpUrl(fallback: string) {
  return optionalText.transform((text, ctx) => {
    const value = text ?? fallback;
    if (!isHttpUrl(value)) {
      // The value is not echoed: a URL may carry credentials.
      ctx.issues.push({ code: 'custom', input: text, message: 'must be an http(s) URL' });
      return z.NEVER;
    }
    return value.replace(/\/+$/, '');
  });
}

function chatList() {
  return optionalText.transform((text, ctx) => {
    const refs: ChatRef[] = [];
    for (const item of (text ?? '').split(',')) {
      if (item.trim() === '') continue;
      const parsed = parseChatRef(item);
      if (parsed.ok) refs.push(parsed.ref);
      else ctx.issues.push({ code: 'custom', input: item, message: parsed.problem });
    }
    return refs;
  });
}

/** Hex (64 digits) or base64/base64url that decodes to exactly 32 bytes. */
export function decodeSecretKey(text: string): Buffer | undefined {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Buffer.from(t, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}={0,1}$/.test(t)) {
    const key = Buffer.from(t.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (key.length === 32) return key;
  }
  return undefined;
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const EnvSchema = z.object({
  TELEGRAM_BOT_TOKEN: optionalText.refine((t) => t === undefined || !/\s/.test(t), {
    error: 'must not contain spaces',
  }),
  TELEGRAM_API_ROOT: httpUrl('https://api.telegram.org'),
  TELEGRAM_UPLOAD_LIMIT_MB: integerIn(1, 2000),
  DISCORD_TOKEN: optionalText.refine((t) => t === undefined || !/\s/.test(t), {
    error: 'must not contain spaces',
  }),
  DISCORD_APPLICATION_ID: optionalText.refine((t) => t === undefined || /^[0-9]{1,20}$/.test(t), {
    error: 'must be a numeric snowflake',
  }),
  DISCORD_API_ROOT: httpUrl('https://discord.com/api'),
  DISCORD_UPLOAD_LIMIT_MB: integerIn(1, 500),
  BLINK_REST_URL: optionalText.transform((text, ctx) => {
    const template = (text ?? 'https://rest-{tier}.immedia-semi.com').replace(/\/+$/, '');
    if (!isHttpUrl(restUrlForTier(template, 'prod'))) {
      ctx.issues.push({ code: 'custom', input: text, message: 'must be an http(s) URL, optionally with {tier}' });
      return z.NEVER;
    }
    return template;
  }),
  BLINK_OAUTH_URL: httpUrl('https://api.oauth.blink.com'),
  // Live view relay overrides, for a simulator or a test rig: an extra trusted CA (PEM file)
  // and hosts allowed besides Blink's own (docs/blink-api.md, "Live view").
  BLINK_LIVE_CA_FILE: optionalText.transform((text) => (text === undefined ? undefined : path.resolve(text))),
  BLINK_LIVE_HOSTS: optionalText.transform((text) =>
    (text ?? '')
      .split(',')
      .map((h) => h.trim())
      .filter((h) => h !== ''),
  ),
  DATABASE_PATH: optionalText.transform((text) => path.resolve(text ?? './data/blink-bot.sqlite')),
  SECRET_KEY: optionalText.transform((text, ctx) => {
    if (text === undefined) return undefined;
    const key = decodeSecretKey(text);
    if (!key) {
      ctx.issues.push({ code: 'custom', input: undefined, message: 'must be 32 bytes written as 64 hex digits or base64' });
      return z.NEVER;
    }
    return key.toString('hex');
  }),
  ALLOWED_CHATS: chatList(),
  ADMIN_USERS: chatList(),
  POLL_INTERVAL_SECONDS: integerIn(30, 86_400),
  RETENTION_DAYS: integerIn(1, 3_650),
  LOG_LEVEL: optionalText.transform((text, ctx) => {
    const level = (text ?? 'info').toLowerCase();
    const known = LOG_LEVELS.find((l) => l === level);
    if (!known) {
      ctx.issues.push({ code: 'custom', input: text, message: `must be one of ${LOG_LEVELS.join(', ')}` });
      return z.NEVER;
    }
    return known;
  }),
  TZ: optionalText.transform((text, ctx) => {
    if (text === undefined) return Intl.DateTimeFormat().resolvedOptions().timeZone;
    // Node accepts a leading ':' in TZ (POSIX form); Intl does not.
    const zone = text.replace(/^:/, '');
    if (!isTimeZone(zone)) {
      ctx.issues.push({ code: 'custom', input: text, message: `"${text}" is not an IANA time zone (e.g. Europe/Berlin)` });
      return z.NEVER;
    }
    return zone;
  }),
  HTTP_PORT: integerIn(1, 65_535),
});

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/**
 * Parses the environment into a deeply frozen `Config`. Reads nothing but `env`.
 * Throws `ConfigError` whose `problems` hold every problem found, one line each,
 * starting with the variable's name. Secret values never appear in a problem.
 */
export function loadConfig(env: Record<string, string | undefined>, options: LoadConfigOptions = {}): Config {
  const problems: string[] = [];
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0] ?? 'environment');
      problems.push(`${name}: ${issue.message}`);
    }
  }
  const has = (name: string): boolean => (env[name] ?? '').trim() !== '';
  if (has('DISCORD_TOKEN') && !has('DISCORD_APPLICATION_ID')) {
    problems.push('DISCORD_APPLICATION_ID: required when DISCORD_TOKEN is set');
  }
  if (options.requireFrontEnd && !has('TELEGRAM_BOT_TOKEN') && !has('DISCORD_TOKEN')) {
    problems.push(
      'TELEGRAM_BOT_TOKEN / DISCORD_TOKEN: no front end configured; set at least one, in the environment or in .env in this folder ' +
        '(README: "Set up Telegram", "Set up Discord"), or try it without either: npm run demo',
    );
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  const e = parsed.data;

  const secretHex = e.SECRET_KEY;
  const config: Config = {
    telegram:
      e.TELEGRAM_BOT_TOKEN === undefined
        ? null
        : { token: e.TELEGRAM_BOT_TOKEN, apiRoot: e.TELEGRAM_API_ROOT, uploadLimitBytes: (e.TELEGRAM_UPLOAD_LIMIT_MB ?? 50) * MB },
    discord:
      e.DISCORD_TOKEN === undefined || e.DISCORD_APPLICATION_ID === undefined
        ? null
        : {
            token: e.DISCORD_TOKEN,
            applicationId: e.DISCORD_APPLICATION_ID,
            apiRoot: e.DISCORD_API_ROOT,
            uploadLimitBytes: (e.DISCORD_UPLOAD_LIMIT_MB ?? 10) * MB,
          },
    blink: {
      restUrlTemplate: e.BLINK_REST_URL,
      oauthUrl: e.BLINK_OAUTH_URL,
      ...(e.BLINK_LIVE_CA_FILE !== undefined ? { liveCaFile: e.BLINK_LIVE_CA_FILE } : {}),
      liveHosts: e.BLINK_LIVE_HOSTS,
    },
    databasePath: e.DATABASE_PATH,
    secretKey: () => (secretHex === undefined ? undefined : Buffer.from(secretHex, 'hex')),
    allowedChats: e.ALLOWED_CHATS,
    adminUsers: e.ADMIN_USERS,
    pollIntervalSeconds: e.POLL_INTERVAL_SECONDS ?? 60,
    retentionDays: e.RETENTION_DAYS ?? 30,
    logLevel: e.LOG_LEVEL,
    timeZone: e.TZ,
    httpPort: e.HTTP_PORT ?? null,
  };
  return deepFreeze(config);
}
