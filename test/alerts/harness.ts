/**
 * Shared set-up for alert tests: a manual clock, the Blink simulator on 127.0.0.1:0 (on the
 * same clock), the real Blink client, a migrated SQLite file, one linked session and a
 * recording ChatSender. Everything is closed in `t.after`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { createAlertService, type AlertService, type AlertServiceConfig } from '../../src/alerts/alert-service.js';
import type { AlertSessions } from '../../src/alerts/alert-sessions.js';
import { createBlinkService } from '../../src/blink/service.js';
import type { BlinkAccount } from '../../src/blink/types.js';
import { createManualClock, type ManualClock } from '../../src/clock.js';
import type { Reply } from '../../src/core/reply.js';
import type { DeliveryError, ChatSender, SentMessage } from '../../src/core/sender.js';
import { openDatabase, type Database } from '../../src/db/open-database.js';
import { createAlertSettingsRepository } from '../../src/db/repositories/alert-settings.js';
import { createAllowlistRepository } from '../../src/db/repositories/allowlist.js';
import { createLinksRepository } from '../../src/db/repositories/links.js';
import { createSessionsRepository } from '../../src/db/repositories/sessions.js';
import { createSilentLogger } from '../../src/log.js';
import { startBlinkSimulator, type BlinkSimulator, type BlinkSimulatorOptions } from '../../src/simulator/server.js';

export const FRONT_DOOR = 4001;
export const LIVING_ROOM = 5001;
export const PORCH = 6001;
export const OWNER = 'tg:42';
export const GROUP = 'tg:-1001';

interface RecordedSend {
  chat: string;
  reply: Reply;
  /** Bytes of each media part as the sender read them (empty when sent by file id). */
  bodies: Buffer[];
  byFileId: boolean;
  silent: boolean;
}

export interface RecordingSender extends ChatSender {
  sent: RecordedSend[];
  /** Failures to throw on the next sends, in order. */
  failNext: DeliveryError[];
  /** When true, media whose cacheKey was uploaded before are "sent" by file id, without open(). */
  fileIds: boolean;
  calls: number;
}

export function createRecordingSender(platform: 'tg' | 'dc' = 'tg'): RecordingSender {
  const known = new Map<string, string>();
  const sender: RecordingSender = {
    platform,
    uploadLimitBytes: 50 * 1024 * 1024,
    sent: [],
    failNext: [],
    fileIds: true,
    calls: 0,
    async send(chat, reply) {
      sender.calls++;
      const failure = sender.failNext.shift();
      if (failure) throw failure;
      const bodies: Buffer[] = [];
      const fileIds: Record<string, string> = {};
      let byFileId = false;
      for (const part of reply.parts) {
        if (part.type !== 'media') continue;
        const key = part.media.cacheKey;
        if (sender.fileIds && key !== undefined && known.has(key)) {
          byFileId = true;
          fileIds[key] = known.get(key) ?? '';
          continue;
        }
        const { stream } = await part.media.open();
        const chunks: Buffer[] = [];
        for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
        bodies.push(Buffer.concat(chunks));
        if (key !== undefined) {
          known.set(key, `file-${known.size + 1}`);
          fileIds[key] = known.get(key) ?? '';
        }
      }
      sender.sent.push({ chat, reply, bodies, byFileId, silent: reply.silent === true });
      const result: SentMessage = { messageIds: [String(sender.sent.length)] };
      if (Object.keys(fileIds).length > 0) result.fileIds = fileIds;
      return result;
    },
  };
  return sender;
}

export interface Harness extends Pick<AlertsBackend, 'clock' | 'sim' | 'db' | 'dbPath' | 'links' | 'sessions'> {
  sessionId: string;
  sender: RecordingSender;
  service: AlertService;
  settings: ReturnType<typeof createAlertSettingsRepository>;
  /** Builds a fresh service on the same DB (a restart); the old one must be stopped first. */
  restart(): AlertService;
  needsLoginMarks: string[];
  /** One poll of the session now (the first one makes the simulator's clips history). */
  poll(): Promise<void>;
  /** Advances the clock a second, then a clip appears in the simulator; returns its id. */
  clipLater(clip: Parameters<BlinkSimulator['addClip']>[0]): Promise<number>;
}

export interface HarnessOptions {
  config?: Partial<AlertServiceConfig>;
  /** Link the group chat too. */
  group?: boolean;
  /** Used for 'tg:' chats instead of the recording sender. */
  telegram?: ChatSender;
  /** The simulator's clock minus ours, ms, from the start (its seeded clips included): F14. */
  simSkewMs?: number;
}

/**
 * What every alerts test stands on: a manual clock, the simulator on it, a temp database
 * through the real migrations and a Blink service without pacing. `close` is for the
 * test's own `t.after`, once its alert service has stopped.
 */
export interface AlertsBackend {
  clock: ManualClock;
  sim: BlinkSimulator;
  dbPath: string;
  db: Database;
  log: ReturnType<typeof createSilentLogger>;
  blink: ReturnType<typeof createBlinkService>;
  sessions: ReturnType<typeof createSessionsRepository>;
  links: ReturnType<typeof createLinksRepository>;
  close(): Promise<void>;
}

export async function startAlertsBackend(
  options: { simSkewMs?: number; sim?: Omit<BlinkSimulatorOptions, 'now'>; globalPerSecond?: number } = {},
): Promise<AlertsBackend> {
  const clock = createManualClock();
  const skew = options.simSkewMs ?? 0;
  const sim = await startBlinkSimulator({ ...options.sim, now: () => clock.now() + skew });
  const dir = mkdtempSync(path.join(tmpdir(), 'alerts-'));
  const dbPath = path.join(dir, 'bot.sqlite');
  const db = openDatabase({ path: dbPath });
  const log = createSilentLogger();
  const blink = createBlinkService({
    urls: { oauth: sim.oauthUrl, restTemplate: sim.restUrlTemplate },
    clock,
    log,
    random: () => 0.5,
    limits: { maxAttempts: 1, perAccountMinTimeMs: 0, globalPerSecond: options.globalPerSecond ?? 10_000 },
  });
  return {
    clock,
    sim,
    dbPath,
    db,
    log,
    blink,
    sessions: createSessionsRepository(db),
    links: createLinksRepository(db),
    async close() {
      await blink.close();
      await sim.close();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The simulator's account 1001 (tier u011) as the alert service reaches it: tokens issued
 * without the OAuth dance, refreshed by the real Blink client when they expire.
 */
export function simAccountSessions(backend: Pick<AlertsBackend, 'sim' | 'blink' | 'clock'>, markNeedsLogin: (sessionId: string) => void): AlertSessions {
  const tokens = backend.sim.issueTokens(1001);
  let account: BlinkAccount | undefined;
  return {
    accountFor() {
      account ??= backend.blink.account(
        {
          accountId: '1001',
          tier: 'u011',
          hardwareId: 'hw-1',
          accessToken: tokens.accessToken,
          refreshToken: tokens.refreshToken,
          accessExpiresAt: backend.clock.now() + tokens.expiresIn * 1000,
        },
        { save() {} },
      );
      return account;
    },
    markNeedsLogin,
  };
}

/**
 * Another owner for the many-account tests: simulator account `added` saved as owner
 * `tg:<100+i>`'s session, that chat allowlisted and linked, with a Blink client on issued
 * tokens (no OAuth dance). Returns the session id, its client and its first camera.
 */
export function linkSimOwner(
  backend: Pick<AlertsBackend, 'sim' | 'blink' | 'clock' | 'db' | 'sessions' | 'links'>,
  i: number,
  added: { accountId: number; deviceIds: readonly number[] },
): { sessionId: string; account: BlinkAccount; cameraId: number } {
  const { sim, blink, clock, sessions, links } = backend;
  const owner = `tg:${100 + i}`;
  const s = sessions.saveForOwner(
    {
      ownerUserId: owner,
      accountId: String(added.accountId),
      tier: 'u011',
      hardwareId: `hw-${i}`,
      email: `u${i}@example.com`,
      sealedTokens: Buffer.from('sealed'),
      accessExpiresAt: clock.now() + 3_600_000,
    },
    clock.now(),
  );
  createAllowlistRepository(backend.db).add(owner, 'env', clock.now());
  links.link({ chat: owner, sessionId: s.id, linkedBy: owner }, clock.now());
  const tokens = sim.issueTokens(added.accountId);
  const account = blink.account(
    {
      accountId: String(added.accountId),
      tier: 'u011',
      hardwareId: `hw-${i}`,
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      accessExpiresAt: clock.now() + tokens.expiresIn * 1000,
    },
    { save() {} },
  );
  return { sessionId: s.id, account, cameraId: added.deviceIds[0] ?? 0 };
}

/** The session row of the i-th of many accounts in the scale and scheduler tests (tokens never used). */
export function manySessionsRow(i: number) {
  return {
    ownerUserId: `tg:${i}`,
    accountId: String(i),
    tier: 'u1',
    hardwareId: 'h',
    email: 'x@example.com',
    sealedTokens: Buffer.from('s'),
    accessExpiresAt: 0,
  };
}

/** Alert sessions for a scheduler test whose poll is faked: no client is ever asked for. */
export const NO_CLIENTS: AlertSessions = {
  accountFor: () => {
    throw new Error('unused');
  },
  markNeedsLogin: () => undefined,
};

/** Alert sessions over a fixed set of clients by session id; never marks a login as needed. */
export function fixedSessions(accounts: ReadonlyMap<string, BlinkAccount>): AlertSessions {
  return {
    accountFor(id) {
      const a = accounts.get(id);
      if (!a) throw new Error(`no account for ${id}`);
      return a;
    },
    markNeedsLogin() {},
  };
}

export async function startHarness(t: TestContext, options: HarnessOptions = {}): Promise<Harness> {
  const backend = await startAlertsBackend(options.simSkewMs !== undefined ? { simSkewMs: options.simSkewMs } : {});
  const { clock, sim, dbPath, db, log, sessions, links } = backend;
  const settings = createAlertSettingsRepository(db);
  const session = sessions.saveForOwner(
    {
      ownerUserId: OWNER,
      accountId: '1001',
      tier: 'u011',
      hardwareId: 'hw-1',
      email: 'owner@example.com',
      sealedTokens: Buffer.from('sealed'),
      accessExpiresAt: clock.now() + 3_600_000,
    },
    clock.now(),
  );
  // Linked chats are allowlisted, as in the bot (alerts check the allowlist at send time).
  const allowlist = createAllowlistRepository(db);
  allowlist.add(OWNER, 'env', clock.now());
  links.link({ chat: OWNER, sessionId: session.id, linkedBy: OWNER }, clock.now());
  if (options.group) {
    allowlist.add(GROUP, 'env', clock.now());
    links.link({ chat: GROUP, sessionId: session.id, linkedBy: OWNER }, clock.now());
  }
  const needsLoginMarks: string[] = [];
  const alertSessions = simAccountSessions(backend, (id) => {
    needsLoginMarks.push(id);
    sessions.markNeedsLogin(id, clock.now());
  });
  const sender = createRecordingSender();
  const build = (): AlertService =>
    createAlertService({
      db,
      sessions: alertSessions,
      senders: new Map([['tg', options.telegram ?? sender]]),
      clock,
      random: () => 0.5,
      log,
      config: { pollIntervalMs: 60_000, timeZone: 'Europe/Berlin', ...options.config },
    });
  const harness: Harness = {
    clock,
    sim,
    db,
    dbPath,
    sessionId: session.id,
    sender,
    service: build(),
    links,
    settings,
    sessions,
    needsLoginMarks,
    restart() {
      harness.service = build();
      return harness.service;
    },
    poll: () => harness.service.pollNow(session.id),
    async clipLater(clip) {
      await clock.advance(1_000);
      return sim.addClip(clip);
    },
  };
  t.after(async () => {
    await harness.service.stop(0);
    await backend.close();
  });
  return harness;
}

/** Lets pending I/O (HTTP to the simulator) and timers of the manual clock run. */
export async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
}

/** Advances the manual clock in steps, letting I/O finish between them. */
export async function advanceBy(clock: ManualClock, totalMs: number, stepMs = 1_000): Promise<void> {
  for (let done = 0; done < totalMs; done += stepMs) {
    await clock.advance(Math.min(stepMs, totalMs - done));
    // One real millisecond: the simulator answers over a real loopback socket.
    await new Promise((r) => setTimeout(r, 1));
  }
}
