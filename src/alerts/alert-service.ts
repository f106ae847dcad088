/**
 * Motion and health alerts, end to end: one poll scheduler for all linked Blink sessions
 * and one delivery worker over the SQLite outbox. See docs/chat-contract.md §5-§6 and F1–F21.
 */
import type { Database } from 'better-sqlite3';
import type { Clock } from '../clock.js';
import { createTimeFormatter } from '../core/format-time.js';
import type { ChatSender } from '../core/sender.js';
import { createAlertSettingsRepository } from '../db/repositories/alert-settings.js';
import { createAllowlistRepository } from '../db/repositories/allowlist.js';
import { createLinksRepository } from '../db/repositories/links.js';
import { createRecordRequestsRepository } from '../db/repositories/record-requests.js';
import { createSessionsRepository } from '../db/repositories/sessions.js';
import type { Logger } from '../log.js';
import { createAlertLatency, type LatencySample } from './alert-latency.js';
import type { AlertSessions } from './alert-sessions.js';
import { createAlertStore, type OutboxState } from './alert-store.js';
import { createDeliveryWorker } from './delivery-worker.js';
import { createOwnerNotices } from './owner-notice.js';
import { createPollScheduler } from './poll-scheduler.js';
import { createSessionPoller } from './session-poller.js';
import { createStorageGuard, createWriteProbe } from './storage-guard.js';

export interface AlertServiceConfig {
  /** POLL_INTERVAL_SECONDS in ms. */
  pollIntervalMs: number;
  /** TZ: captions and quiet hours. */
  timeZone: string;
  /**
   * Newest alerts per chat kept from one poll; older ones become one line. A flood guard only:
   * the contract sends every new clip, so the default (20) sits far above what a household
   * records between two polls, even across a restart (the crash run once lost clips to a cap of 5).
   */
  backlogCap?: number;
  /**
   * Clips older than this (by Blink's clock) when a poll finds them, e.g. after a long Blink
   * outage, join the per-chat summary line instead of being sent (F34 max_alert_age). Default 1 h.
   */
  maxAlertAgeMs?: number;
  /** Inventory read (health alerts) per session at most this often, ms. Default 10 min. */
  healthEveryMs?: number;
  /** How long a partial clip is held before a text alert, ms. Default 3 min. */
  partialTimeoutMs?: number;
  /** Continuous poll failure before the owner is told, ms. Default 30 min. */
  notifyAfterMs?: number;
  /**
   * The operators' private chats ('tg:<id>', 'dc:<id>'; the app passes ADMIN_USERS): one
   * "Blink unreachable" notice and one recovery go there during a global outage, instead of
   * one message per owner (F34). Empty or absent: owners are told one by one, as before.
   */
  operatorChats?: readonly string[];
  /** While the database cannot be written (F31), a write is tried this often, ms. Default 30 s. */
  storageProbeMs?: number;
  /** Polls in flight at once. Default 16. */
  maxConcurrentPolls?: number;
  /** Chats sent to at once. Default 4. */
  sendConcurrency?: number;
  /** Transient send failures before a row is given up. Default 200 (about a day). */
  maxSendAttempts?: number;
}

export interface AlertServiceDeps {
  db: Database;
  sessions: AlertSessions;
  /** Chat senders by chat id prefix: 'tg', 'dc', 'term'. */
  senders: ReadonlyMap<string, ChatSender>;
  clock: Clock;
  /** [0, 1); Math.random in production. */
  random: () => number;
  log: Logger;
  config: AlertServiceConfig;
}

export interface AlertServiceStats {
  sessions: number;
  polls: number;
  pollFailures: number;
  alertsQueued: number;
  sendsInFlight: number;
  sent: number;
  retries: number;
  outbox: Record<OutboxState, number>;
  latency: readonly LatencySample[];
}

export interface AlertService {
  /** Starts polling and delivery (pending rows from before a restart go first). Resolves at once. */
  start(signal: AbortSignal): void;
  /** Stops polling at once; sends in flight get up to `deadlineMs`, the rest stay pending. */
  stop(deadlineMs: number): Promise<void>;
  /** Polls one session now and delivers what it found (tests; right after /login or /link). */
  pollNow(sessionId: string): Promise<void>;
  /** Sends every due outbox row now (tests). */
  flush(): Promise<void>;
  /** The Telegram/Discord file-id cache hooks backed by platform_files. */
  fileIds(platform: 'tg' | 'dc'): { lookup(cacheKey: string): string | undefined; onStore(cacheKey: string, fileId: string): void };
  stats(): AlertServiceStats;
}

export function createAlertService(deps: AlertServiceDeps): AlertService {
  const { db, clock, log, config } = deps;
  const store = createAlertStore(db);
  const sessions = createSessionsRepository(db);
  const links = createLinksRepository(db);
  const settings = createAlertSettingsRepository(db);
  const notices = createOwnerNotices({ store, links, sessions });
  const latency = createAlertLatency();
  const operatorChats = new Set(config.operatorChats ?? []);
  // F31 notices bypass the outbox (it is what cannot be written): straight to each operator.
  const notifyOperators = async (text: string): Promise<void> => {
    for (const chat of operatorChats) {
      const sender = deps.senders.get(chat.slice(0, chat.indexOf(':')));
      if (!sender) continue;
      try {
        await sender.send(chat, { parts: [{ type: 'text', text }] });
      } catch (error) {
        log.warn({ chat, err: error }, 'could not tell an operator about the database');
      }
    }
  };
  const storage = createStorageGuard({
    probe: createWriteProbe(db),
    log,
    notify: notifyOperators,
    ...(config.storageProbeMs !== undefined ? { probeEveryMs: config.storageProbeMs } : {}),
    onResume: () => worker.kick(),
  });
  const worker = createDeliveryWorker({
    operatorChats,
    storage,
    store,
    links,
    allowlist: createAllowlistRepository(db),
    ownerOf: (sessionId) => sessions.getById(sessionId)?.ownerUserId,
    settings,
    blink: deps.sessions,
    senders: deps.senders,
    notices,
    clock,
    random: deps.random,
    log,
    latency,
    formatTime: createTimeFormatter(config.timeZone),
    timeZone: config.timeZone,
    ...(config.sendConcurrency !== undefined ? { concurrency: config.sendConcurrency } : {}),
    ...(config.maxSendAttempts !== undefined ? { maxAttempts: config.maxSendAttempts } : {}),
  });
  const healthEveryMs = config.healthEveryMs ?? 10 * 60_000;
  const poll = createSessionPoller({
    db,
    store,
    recordRequests: createRecordRequestsRepository(db),
    sessions,
    links,
    settings,
    blink: deps.sessions,
    clock,
    log,
    healthEveryMs,
    partialTimeoutMs: config.partialTimeoutMs ?? 3 * 60_000,
    backlogCap: config.backlogCap ?? 20,
    maxAlertAgeMs: config.maxAlertAgeMs ?? 60 * 60_000,
    onQueued: (rows, at) => {
      for (const r of rows) if (r.kind === 'motion' || r.kind === 'ring') latency.queued(`${r.sessionId}:${r.mediaId}`, at);
      worker.kick();
    },
  });
  const scheduler = createPollScheduler({
    clock,
    random: deps.random,
    log,
    store,
    sessions,
    blink: deps.sessions,
    notices: {
      ...notices,
      tell: (...args) => {
        const queued = notices.tell(...args);
        if (queued) worker.kick();
        return queued;
      },
    },
    poll,
    ...(operatorChats.size > 0
      ? {
          operator: {
            tell: (key: string, text: string, now: number): boolean => {
              let queued = false;
              for (const chat of operatorChats) queued = store.enqueue({ sessionId: null, mediaId: key, chat, kind: 'text', payload: { text } }, now) || queued;
              if (queued) worker.kick();
              return queued;
            },
          },
        }
      : {}),
    periodMs: config.pollIntervalMs,
    healthEveryMs,
    storage,
    ...(config.maxConcurrentPolls !== undefined ? { maxConcurrent: config.maxConcurrentPolls } : {}),
    ...(config.notifyAfterMs !== undefined ? { notifyAfterMs: config.notifyAfterMs } : {}),
  });

  const polling = new AbortController();
  const delivering = new AbortController();
  const loops: Promise<void>[] = [];

  return {
    start(signal) {
      const onAbort = (): void => {
        polling.abort();
        delivering.abort();
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      const guard = (name: string, p: Promise<void>): Promise<void> => p.catch((error: unknown) => log.error({ err: error }, `${name} loop crashed`));
      loops.push(guard('delivery', worker.run(delivering.signal)), guard('poll', scheduler.run(polling.signal)));
    },
    async stop(deadlineMs) {
      polling.abort();
      delivering.abort();
      await worker.stop(deadlineMs);
      await Promise.all(loops);
    },
    async pollNow(sessionId) {
      await scheduler.pollNow(sessionId);
      await worker.drain();
    },
    flush: () => worker.drain(),
    fileIds(platform) {
      return {
        lookup: (cacheKey) => store.knownFile(platform, cacheKey),
        onStore: (cacheKey, fileId) => store.rememberFile(platform, cacheKey, fileId, cacheKey.startsWith('clip:') ? 'video' : 'photo', clock.now()),
      };
    },
    stats() {
      const s = scheduler.stats();
      const w = worker.stats();
      return {
        sessions: s.sessions,
        polls: s.polls,
        pollFailures: s.failures,
        alertsQueued: s.alertsQueued,
        sendsInFlight: w.inFlight,
        sent: w.sent,
        retries: w.retries,
        outbox: store.outboxCounts(),
        latency: latency.samples(),
      };
    },
  };
}
