/**
 * Builds the whole bot from a Config: logger, database, sealer, Blink service, session
 * manager, dispatcher, the configured front ends, the alert service with their senders,
 * and the ops HTTP server. Returns the services in start order for the lifecycle; the
 * lifecycle stops them in reverse, which is the order F29 asks for: alerts first (polling
 * stops, sends in flight get `stopDeadlineMs`), then the front ends, then HTTP. `close()`
 * then releases Blink's connection pool and closes the database.
 */
import path from 'node:path';
import { randomInt } from 'node:crypto';
import { alertSessionsFrom } from '../alerts/alert-sessions.js';
import { createAlertService, type AlertService, type AlertServiceConfig } from '../alerts/alert-service.js';
import { createBlinkService, type BlinkServiceDeps } from '../blink/service.js';
import type { BlinkService } from '../blink/types.js';
import { systemClock, type Clock } from '../clock.js';
import { formatChatRef, liveRelayOptions, type Config } from '../config/index.js';
import { chatAllowed } from '../core/chat-access.js';
import { createDispatcher } from '../core/dispatcher.js';
import type { Dispatcher } from '../core/inbound.js';
import { discordSlashCommands, telegramCommandMenu } from '../core/registry.js';
import type { ChatSender } from '../core/sender.js';
import { createSessionManager, type SessionManager } from '../core/session-manager.js';
import {
  createRepositories,
  createRetention,
  lockDatabase,
  openDatabase,
  readSealedTokens,
  type Database,
  type DatabaseLock,
  type Repositories,
} from '../db/index.js';
import { checkHealth, type HealthReport } from '../http/health.js';
import { createOpsServer, type OpsServer } from '../http/server.js';
import { createLogger, type Logger } from '../log.js';
import { createMetrics, type AppMetrics } from '../metrics/metrics.js';
import { createSealer, loadOrCreateKey, type LoadedKey } from '../secrets/index.js';
import { createAlertMetricsCollector } from './alert-metrics.js';
import { createScrubbedLogger } from './scrub-logger.js';
import type { FrontEnd } from '../core/front-end.js';
import type { Service } from './lifecycle.js';
import { createTimedDispatcher } from './timed-dispatcher.js';

export interface CreateAppOptions {
  config: Config;
  /** Default: a pino logger at config.logLevel on stdout. */
  log?: Logger;
  clock?: Clock;
  random?: () => number;
  /** Front ends the caller builds (the demo's terminal), given the app's dispatcher. */
  extraFrontEnds?: (ctx: { dispatcher: Dispatcher; log: Logger }) => FrontEnd[];
  /** Admin caller ids beyond ADMIN_USERS (the demo's 'term:local'). */
  extraAdmins?: readonly string[];
  /** Chats allowed beyond ALLOWED_CHATS (the demo's 'term:local'). */
  extraAllowedChats?: readonly string[];
  /** Sees every event before the app's dispatcher (the demo's one-time chat code). */
  wrapDispatcher?: (inner: Dispatcher, repos: Repositories) => Dispatcher;
  /**
   * A front end cannot go on (Telegram 409 Conflict, refused token). Gets one line for
   * stderr; main stops the app and exits non-zero. Default: throw nothing, log only.
   */
  onFatal?: (line: string) => void;
  /** Blink client tuning (tests and the demo shorten waits). */
  blink?: Pick<BlinkServiceDeps, 'limits' | 'timeouts' | 'commands' | 'live'>;
  /** Alert tuning beyond the poll interval and time zone from the config. */
  alerts?: Omit<AlertServiceConfig, 'pollIntervalMs' | 'timeZone'>;
  /** How long in-flight sends may finish at shutdown; default 10 000 ms (F29). */
  stopDeadlineMs?: number;
  /** How long start waits for the database lock (a rotate-key finishing); default 2000 ms. */
  lockWaitMs?: number;
}

export interface App {
  /** In start order; the lifecycle stops them in reverse. */
  readonly services: Service[];
  readonly log: Logger;
  readonly db: Database;
  readonly repos: Repositories;
  readonly blink: BlinkService;
  readonly sessions: SessionManager;
  readonly dispatcher: Dispatcher;
  readonly alerts: AlertService;
  readonly metrics: AppMetrics;
  readonly frontEnds: readonly FrontEnd[];
  /** Null unless HTTP_PORT is set. */
  readonly http: OpsServer | null;
  health(): HealthReport;
  /** After the lifecycle stopped: closes Blink's pool and the database. Idempotent. */
  close(): Promise<void>;
}

/** One line an operator can act on, for a front end that had to give up. */
function fatalLine(frontEnd: string, error: Error): string {
  const code = 'error_code' in error ? error.error_code : undefined;
  if (code === 409) {
    return `blink-bot: ${frontEnd} answered 409 Conflict: another instance is polling with this TELEGRAM_BOT_TOKEN (or a webhook is set); stop it or delete the webhook.`;
  }
  if (code === 401) return `blink-bot: ${frontEnd} refused the bot token (401); check ${frontEnd === 'Discord' ? 'DISCORD_TOKEN' : 'TELEGRAM_BOT_TOKEN'}.`;
  return `blink-bot: the ${frontEnd} front end stopped: ${error.message}`;
}

/**
 * Async because each front end's module (grammY, discord.js and what builds on them) is
 * loaded only when it is configured: discord.js alone is ~45 MB of RSS that a
 * Telegram-only bot on a Raspberry Pi should not carry (docs/performance.md, "Many accounts").
 */
export async function createApp(options: CreateAppOptions): Promise<App> {
  const { config } = options;
  const log = options.log ?? createLogger({ level: config.logLevel });
  const clock = options.clock ?? systemClock;
  const random = options.random ?? ((): number => randomInt(0, 2 ** 31) / 2 ** 31);
  const stopDeadlineMs = options.stopDeadlineMs ?? 10_000;

  const { key, source, keyPath, lock } = openKeyAndLock(config, options.lockWaitMs ?? 2000);
  let db: Database;
  try {
    db = openDatabase({ path: config.databasePath, log });
  } catch (error) {
    lock.release();
    throw error;
  }
  let closed = false;
  try {
    if (source === 'created') log.warn({ keyPath }, 'generated a new token key; back it up with the database');
    const sealer = createSealer(key);
    const repos = createRepositories(db);
    repos.allowlist.seedFromEnv([...config.allowedChats.map(formatChatRef), ...(options.extraAllowedChats ?? [])], clock.now());

    let alerts: AlertService | undefined;
    const metrics = createMetrics({ collect: createAlertMetricsCollector({ sessions: repos.sessions, stats: () => alerts?.stats() }) });
    const blink = createBlinkService({
      urls: { oauth: config.blink.oauthUrl, restTemplate: config.blink.restUrlTemplate },
      clock,
      log: log.child({ component: 'blink' }),
      random,
      // Every attempt is counted, answered or not (status 0 → 'network').
      onRequest: ({ endpointClass, status }) => metrics.blinkRequest(endpointClass, status === 0 ? 'network' : status),
      onRateLimitWait: () => metrics.blinkRateLimitWait(),
      live: liveRelayOptions(config.blink),
      ...options.blink,
    });
    const sessions = createSessionManager({
      repos,
      sealer,
      blink,
      clock,
      log,
      onLogin: (sessionId) => {
        alerts?.pollNow(sessionId).catch((err: unknown) => log.warn({ err, sessionId }, 'baseline poll after login failed'));
      },
    });
    const core = createDispatcher({
      repos,
      blink,
      sessions,
      config: { admins: [...config.adminUsers.map(formatChatRef), ...(options.extraAdmins ?? [])] },
      clock,
      log: log.child({ component: 'core' }),
      timeZone: config.timeZone,
    });
    const timed = createTimedDispatcher({ inner: core, metrics, log: log.child({ component: 'command' }), clock });
    const dispatcher = options.wrapDispatcher ? options.wrapDispatcher(timed, repos) : timed;

    const frontEnds: FrontEnd[] = [];
    if (config.telegram) {
      const { createTelegramFrontEnd } = await import('../telegram/front-end.js');
      const telegram = createTelegramFrontEnd({
        token: config.telegram.token,
        apiRoot: config.telegram.apiRoot,
        dispatcher,
        commandMenu: telegramCommandMenu(),
        uploadLimitBytes: config.telegram.uploadLimitBytes,
        log: createScrubbedLogger(log.child({ component: 'telegram' }), [config.telegram.token]),
        clock,
        drainMs: stopDeadlineMs,
        fileIdFor: (cacheKey) => alerts?.fileIds('tg').lookup(cacheKey),
        onFileId: (cacheKey, fileId) => alerts?.fileIds('tg').onStore(cacheKey, fileId),
        onFatal: (error) => options.onFatal?.(fatalLine('Telegram', error)),
      });
      frontEnds.push(telegram);
    }
    if (config.discord) {
      const [{ createDiscordFrontEnd }, { createFileRegistrationStore }, { createDiscordAutocomplete }] = await Promise.all([
        import('../discord/front-end.js'),
        import('../discord/registration.js'),
        import('./discord-autocomplete.js'),
      ]);
      const discord = createDiscordFrontEnd({
        token: config.discord.token,
        applicationId: config.discord.applicationId,
        apiRoot: config.discord.apiRoot,
        dispatcher,
        slashCommands: discordSlashCommands(),
        autocomplete: createDiscordAutocomplete({ repos, sessions, clock }),
        chatAllowed: (chat) => chatAllowed(repos.allowlist, chat),
        uploadLimitBytes: config.discord.uploadLimitBytes,
        log: createScrubbedLogger(log.child({ component: 'discord' }), [config.discord.token]),
        clock,
        drainMs: stopDeadlineMs,
        // Slash commands are registered again only when their JSON changed (hash beside the DB).
        registrationStore: createFileRegistrationStore(path.join(path.dirname(config.databasePath), 'discord-commands.sha256')),
        onFatal: (error) => options.onFatal?.(fatalLine('Discord', error)),
      });
      frontEnds.push(discord);
    }
    frontEnds.push(...(options.extraFrontEnds?.({ dispatcher, log }) ?? []));

    const senders = new Map<string, ChatSender>(frontEnds.map((f) => [f.sender.platform, f.sender]));
    const alertService = createAlertService({
      db,
      sessions: alertSessionsFrom(sessions),
      senders,
      clock,
      random,
      log: log.child({ component: 'alerts' }),
      config: {
        pollIntervalMs: config.pollIntervalSeconds * 1000,
        timeZone: config.timeZone,
        operatorChats: [...config.adminUsers.map(formatChatRef), ...(options.extraAdmins ?? [])],
        ...options.alerts,
      },
    });
    alerts = alertService;

    const frontEndHealth = Object.fromEntries(frontEnds.map((f) => [f.name, f]));
    const healthDeps = {
      pingDatabase: () => repos.storage.ping(),
      frontEnds: frontEndHealth,
    };
    const http =
      config.httpPort === null ? null : createOpsServer({ port: config.httpPort, health: healthDeps, metrics, log: log.child({ component: 'http' }) });

    const retention = createRetention({ repos, clock, log: log.child({ component: 'retention' }), retentionDays: config.retentionDays });
    const services: Service[] = [
      ...(http ? [http] : []),
      { name: 'retention', start: (signal) => retention.start(signal), stop: () => retention.stop() },
      // Every front end alike (core/front-end.ts): start is not awaited, since it may wait
      // for a network that is not up yet and alerts must not wait for it; a failure reaches
      // onFatal; no signal, so nothing stops before the lifecycle stops it, after alerts drain.
      ...frontEnds.map(
        (f): Service => ({
          name: f.name,
          start: () => {
            f.start().catch(() => undefined);
          },
          stop: () => f.stop(),
        }),
      ),
      { name: 'alerts', start: (signal) => alertService.start(signal), stop: () => alertService.stop(stopDeadlineMs) },
    ];

    return {
      services,
      log,
      db,
      repos,
      blink,
      sessions,
      dispatcher,
      alerts: alertService,
      metrics,
      frontEnds,
      http,
      health: () => checkHealth(healthDeps),
      async close() {
        if (closed) return;
        closed = true;
        await blink.close().catch((err: unknown) => log.warn({ err }, 'closing the Blink pool failed'));
        db.close();
        lock.release();
      },
    };
  } catch (error) {
    if (!closed) {
      db.close();
      lock.release();
    }
    throw error;
  }
}

/**
 * The key, checked against the stored sessions before anything is written (a wrong or
 * missing key refuses with SecretKeyError, nothing changed), then the database lock, then
 * the same check again under the lock: a rotate-key that finished while we waited for the
 * lock has changed the key.
 */
function openKeyAndLock(config: Config, lockWaitMs: number): LoadedKey & { lock: DatabaseLock } {
  const load = (): LoadedKey =>
    loadOrCreateKey({ secretKeyFromEnv: config.secretKey(), databasePath: config.databasePath, sealed: readSealedTokens(config.databasePath) });
  const first = load();
  const lock = lockDatabase(config.databasePath, {
    waitMs: lockWaitMs,
    holderHint: `another blink-bot (or its rotate-key) is using ${config.databasePath}; stop it first`,
  });
  try {
    // The first load may have created the key; the second then reads it back from the file,
    // and the operator must still hear that a new key exists (to back it up).
    const again = load();
    return { ...again, source: first.source === 'created' ? 'created' : again.source, lock };
  } catch (error) {
    lock.release();
    throw error;
  }
}
