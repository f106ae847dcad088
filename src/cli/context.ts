/**
 * What every CLI command needs: the bot's configuration (DATABASE_PATH, SECRET_KEY,
 * BLINK_* URLs), the database, the sealer, and the Blink session of owner 'cli:local'.
 * Sessions are sealed exactly as the bot seals them (core/session-manager.ts).
 */
import type { Readable, Writable } from 'node:stream';
import { createBlinkService } from '../blink/service.js';
import type { BlinkAccount, BlinkService } from '../blink/types.js';
import { systemClock, type Clock } from '../clock.js';
import { liveRelayOptions, loadConfig, type Config } from '../config/index.js';
import { createDispatcher } from '../core/dispatcher.js';
import type { Dispatcher } from '../core/inbound.js';
import { createSessionManager, needsLogin, type SessionManager } from '../core/session-manager.js';
import { createRepositories, openDatabase, readSealedTokens, type BlinkSession, type Database, type Repositories } from '../db/index.js';
import { AppError } from '../errors.js';
import { createLogger, type Logger } from '../log.js';
import { createSealer, loadOrCreateKey, type LoadedKey } from '../secrets/index.js';

export const CLI_OWNER = 'cli:local';

export interface CliIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  /** Ctrl-C / SIGTERM: the chat commands stop as at a bot shutdown (a live view ends its command). */
  signal?: AbortSignal;
}

export interface CliContext {
  config: Config;
  io: CliIo;
  clock: Clock;
  log: Logger;
  db: Database;
  repos: Repositories;
  key: LoadedKey;
  blink: BlinkService;
  sessions: SessionManager;
  /** The chat commands' dispatcher; the CLI's chat (CLI_OWNER) is always served. */
  dispatcher: Dispatcher;
  out(line: string): void;
  /** The stored CLI session and its client; a clear failure when there is none. */
  account(): { session: BlinkSession; account: BlinkAccount };
  close(): Promise<void>;
}

/** A failure with one clear line (exit 1). */
export class CliError extends AppError {
  declare readonly code: 'cli';
  constructor(message: string) {
    super('cli', message);
  }
}

export function openCliContext(io: CliIo): CliContext {
  const config = loadConfig(io.env);
  const clock = systemClock;
  // Logs are for problems only; they go to stderr, away from the command's output.
  const log = createLogger({ level: io.env.LOG_LEVEL ? config.logLevel : 'warn', destination: io.stderr });
  // The key is checked against the stored sessions before the database is opened for use:
  // a wrong or missing key refuses (SecretKeyError) with nothing changed, as the bot does.
  const key = loadOrCreateKey({ secretKeyFromEnv: config.secretKey(), databasePath: config.databasePath, sealed: readSealedTokens(config.databasePath) });
  const db = openDatabase({ path: config.databasePath, log });
  try {
    const sealer = createSealer(key.key);
    const repos = createRepositories(db);
    const blink = createBlinkService({
      urls: { oauth: config.blink.oauthUrl, restTemplate: config.blink.restUrlTemplate },
      clock,
      log: log.child({ component: 'blink' }),
      live: liveRelayOptions(config.blink),
    });
    const sessions = createSessionManager({ repos, sealer, blink, clock, log });
    // The operator at the command line is the CLI chat's only member: it needs no allowlist row.
    const allowlist = { ...repos.allowlist, has: (chat: string): boolean => chat === CLI_OWNER || repos.allowlist.has(chat) };
    const dispatcher = createDispatcher({
      repos: { ...repos, allowlist },
      blink,
      sessions,
      config: { admins: [] },
      clock,
      log: log.child({ component: 'core' }),
      timeZone: config.timeZone,
    });
    return {
      config,
      io,
      clock,
      log,
      db,
      repos,
      key,
      blink,
      sessions,
      dispatcher,
      out: (line) => void io.stdout.write(`${line}\n`),
      account() {
        const session = repos.sessions.getByOwner(CLI_OWNER);
        if (!session) throw new CliError('not logged in: run `blink-bot login` first');
        if (needsLogin(session)) throw new CliError('the Blink session expired: run `blink-bot login` again');
        return { session, account: sessions.accountForSession(session) };
      },
      async close() {
        await blink.close().catch(() => undefined);
        db.close();
      },
    };
  } catch (error) {
    db.close();
    throw error;
  }
}
