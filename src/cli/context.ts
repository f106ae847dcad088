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
import { createSessionManager, needsLogin, type SessionManager } from '../core/session-manager.js';
import { createRepositories, openDatabase, type BlinkSession, type Database, type Repositories } from '../db/index.js';
import { AppError } from '../errors.js';
import { createLogger, type Logger } from '../log.js';
import { createSealer, loadOrCreateKey, type LoadedKey } from '../secrets/index.js';

export const CLI_OWNER = 'cli:local';

export interface CliIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable & { isTTY?: boolean };
  env: Record<string, string | undefined>;
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
  out(line: string): void;
  /** The stored CLI session and its client; a clear failure when there is none. */
  account(): { session: BlinkSession; account: BlinkAccount };
  close(): Promise<void>;
}

/** A failure with one clear line (exit 1). */
export class CliError extends AppError {
  constructor(message: string) {
    super('cli', message);
  }
}

export function openCliContext(io: CliIo): CliContext {
  const config = loadConfig(io.env);
  const clock = systemClock;
  // Logs are for problems only; they go to stderr, away from the command's output.
  const log = createLogger({ level: io.env.LOG_LEVEL ? config.logLevel : 'warn', destination: io.stderr });
  const db = openDatabase({ path: config.databasePath, log });
  try {
    const key = loadOrCreateKey({ secretKeyFromEnv: config.secretKey(), databasePath: config.databasePath });
    const sealer = createSealer(key.key);
    const repos = createRepositories(db);
    const blink = createBlinkService({
      urls: { oauth: config.blink.oauthUrl, restTemplate: config.blink.restUrlTemplate },
      clock,
      log: log.child({ component: 'blink' }),
      live: liveRelayOptions(config.blink),
    });
    const sessions = createSessionManager({ repos, sealer, blink, clock, log });
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
      out: (line) => void io.stdout.write(`${line}\n`),
      account() {
        const session = repos.sessions.getByOwner(CLI_OWNER);
        if (!session) throw new CliError('not logged in: run `npm run blink -- login` first');
        if (needsLogin(session)) throw new CliError('the Blink session expired: run `npm run blink -- login` again');
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
