/**
 * The bot side of a benchmark, built from the real modules the app wires (src/app/create-app.ts):
 * SQLite through the real migrations, the sealer, the Blink service, the core session
 * manager, the alert service with the real Telegram sender, and the dispatcher. Only
 * what a benchmark measures is started; nothing here is a copy of product logic.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { alertSessionsFrom, type AlertSessions } from '../../src/alerts/alert-sessions.js';
import { createAlertService, type AlertService, type AlertServiceConfig } from '../../src/alerts/alert-service.js';
import { createBlinkService, type BlinkLimits, type CommandOptions } from '../../src/blink/service.js';
import type { BlinkAccount, BlinkService } from '../../src/blink/types.js';
import { systemClock, type Clock } from '../../src/clock.js';
import { createDispatcher } from '../../src/core/dispatcher.js';
import type { Dispatcher } from '../../src/core/inbound.js';
import type { ChatSender } from '../../src/core/sender.js';
import { createSessionManager, type SessionManager } from '../../src/core/session-manager.js';
import { createRepositories, openDatabase, type Database, type Repositories } from '../../src/db/index.js';
import { createLogger, type Logger } from '../../src/log.js';
import { createSealer } from '../../src/secrets/index.js';
import { createTelegramFrontEnd } from '../../src/telegram/front-end.js';

export interface BotOptions {
  simUrl: string;
  tgApiRoot?: string | undefined;
  tgToken?: string | undefined;
  pollIntervalMs?: number;
  limits?: BlinkLimits;
  commands?: CommandOptions;
  alerts?: Omit<AlertServiceConfig, 'pollIntervalMs' | 'timeZone'>;
  clock?: Clock;
  /** Wraps the alert service's view of sessions (poll timing probes). */
  wrapSessions?: (inner: AlertSessions) => AlertSessions;
  /** The sender alerts go to instead of Telegram's (the Discord upload benchmark). */
  sender?: ChatSender;
  /** Upload limit for the Telegram sender, bytes. Default 50 MiB (TELEGRAM_UPLOAD_LIMIT_MB). */
  uploadLimitBytes?: number;
}

export interface Bot {
  db: Database;
  repos: Repositories;
  blink: BlinkService;
  sessions: SessionManager;
  alerts: AlertService;
  dispatcher: Dispatcher;
  sender: ChatSender;
  log: Logger;
  /** Stores a logged-in session (sealed) for `owner` and links its private chat, as /login does. */
  addSession(owner: string, account: { accountId: number; tier: string; accessToken: string; refreshToken: string; expiresIn: number }): string;
  accountFor(sessionId: string): BlinkAccount;
  close(): Promise<void>;
}

/**
 * `account` with some methods replaced (timing probes); every other member is the account's
 * own. BlinkAccount is a class instance, so a spread would drop its methods.
 */
export function overriding(account: BlinkAccount, overrides: Partial<BlinkAccount>): BlinkAccount {
  return new Proxy(account, { get: (target, key) => (key in overrides ? Reflect.get(overrides, key) : Reflect.get(target, key)) });
}

const silent = (): Logger => createLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, done) => done() }) });

/** A sender that reads and drops media (scale runs, where nothing should be sent). */
function nullSender(): ChatSender {
  return {
    platform: 'tg',
    uploadLimitBytes: 50 * 1024 * 1024,
    async send(_chat, reply) {
      for (const part of reply.parts) {
        if (part.type !== 'media') continue;
        const { stream } = await part.media.open();
        for await (const _ of stream) void _;
      }
      return { messageIds: ['1'] };
    },
  };
}

export function buildBot(opts: BotOptions): Bot {
  const clock = opts.clock ?? systemClock;
  const log = silent();
  const dir = mkdtempSync(path.join(tmpdir(), 'blink-bench-'));
  const db = openDatabase({ path: path.join(dir, 'bot.sqlite') });
  const repos = createRepositories(db);
  const sealer = createSealer(randomBytes(32));
  const blink = createBlinkService({
    urls: { oauth: opts.simUrl, restTemplate: `${opts.simUrl}/rest-{tier}` },
    clock,
    log,
    ...(opts.limits ? { limits: opts.limits } : {}),
    ...(opts.commands ? { commands: opts.commands } : {}),
  });
  const sessions = createSessionManager({ repos, sealer, blink, clock, log });
  const dispatcher = createDispatcher({ repos, blink, sessions, config: { admins: [] }, clock, log, timeZone: 'UTC' });
  let alerts: AlertService | undefined;
  const uploadLimitBytes = opts.uploadLimitBytes ?? 50 * 1024 * 1024;
  const telegram =
    opts.tgApiRoot && opts.tgToken
      ? createTelegramFrontEnd({
          token: opts.tgToken,
          apiRoot: opts.tgApiRoot,
          dispatcher,
          commandMenu: [],
          uploadLimitBytes,
          log,
          clock,
          botInfo: {
            id: 1,
            is_bot: true,
            first_name: 'bench',
            username: 'bench_bot',
            can_join_groups: true,
            can_read_all_group_messages: false,
            supports_inline_queries: false,
            can_connect_to_business: false,
            has_main_web_app: false,
            has_topics_enabled: false,
            allows_users_to_create_topics: false,
            can_manage_bots: false,
            supports_join_request_queries: false,
          },
          throttle: false,
          fileIdFor: (key) => alerts?.fileIds('tg').lookup(key),
          onFileId: (key, id) => alerts?.fileIds('tg').onStore(key, id),
          onFatal: () => undefined,
        })
      : undefined;
  const sender = opts.sender ?? telegram?.sender ?? nullSender();
  const base = alertSessionsFrom(sessions);
  alerts = createAlertService({
    db,
    sessions: opts.wrapSessions ? opts.wrapSessions(base) : base,
    senders: new Map([[sender.platform, sender]]),
    clock,
    random: Math.random,
    log,
    config: { pollIntervalMs: opts.pollIntervalMs ?? 60_000, timeZone: 'UTC', ...opts.alerts },
  });
  const service = alerts;

  return {
    db,
    repos,
    blink,
    sessions,
    alerts: service,
    dispatcher,
    sender,
    log,
    addSession(owner, a) {
      const now = clock.now();
      repos.allowlist.add(owner, 'env', now);
      const session = sessions.saveLogin(
        owner,
        {
          accountId: String(a.accountId),
          tier: a.tier,
          hardwareId: `bench-${a.accountId}`,
          accessToken: a.accessToken,
          refreshToken: a.refreshToken,
          accessExpiresAt: now + a.expiresIn * 1000,
        },
        `bench${a.accountId}@example.com`,
      );
      repos.links.link({ chat: owner, sessionId: session.id, linkedBy: owner }, now);
      return session.id;
    },
    accountFor(sessionId) {
      const s = repos.sessions.getById(sessionId);
      if (!s) throw new Error(`no session ${sessionId}`);
      return sessions.accountForSession(s);
    },
    async close() {
      await service.stop(0);
      await telegram?.stop();
      await blink.close();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** addAccount + issueTokens at the simulator, then the sealed session in our DB. */
export async function linkAccount(
  bot: Bot,
  sim: { post<T>(op: string, body?: unknown): Promise<T> },
  seed: { tier: string } & Record<string, unknown>,
  owner: string,
): Promise<{ sessionId: string; accountId: number; deviceIds: number[]; networkIds: number[] }> {
  const added = await sim.post<{ accountId: number; deviceIds: number[]; networkIds: number[] }>('addAccount', seed);
  const tokens = await sim.post<{ accessToken: string; refreshToken: string; expiresIn: number }>('issueTokens', { accountId: added.accountId });
  const sessionId = bot.addSession(owner, { accountId: added.accountId, tier: seed.tier, ...tokens });
  return { sessionId, accountId: added.accountId, deviceIds: added.deviceIds, networkIds: added.networkIds };
}

/**
 * Blink's clip times have whole seconds; a clip made in the same second as the link would
 * read as older than the link (and rightly not be alerted). Waits out that second.
 */
export async function pastLinkSecond(bot: Bot, sessionId: string): Promise<void> {
  const linkedAt = bot.repos.sessions.getById(sessionId)?.linkedAt ?? Date.now();
  const wait = Math.floor(linkedAt / 1000) * 1000 + 1000 - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait + 5));
}
