/**
 * One poll of one Blink session: "anything new?" (1 request when idle), the new-clip
 * decision, and one transaction that stores clips seen, outbox rows and the new
 * watermark. Every few minutes it also reads the inventory for health alerts and to
 * know which cameras are doorbells.
 */
import type { Database } from 'better-sqlite3';
import type { BlinkClip, ChangeCheck, Watermark } from '../blink/types.js';
import type { Clock } from '../clock.js';
import type { AlertSettingsRepository } from '../db/repositories/alert-settings.js';
import type { LinksRepository } from '../db/repositories/links.js';
import type { RecordRequestsRepository } from '../db/repositories/record-requests.js';
import type { SessionPollState, SessionsRepository } from '../db/repositories/sessions.js';
import type { Logger } from '../log.js';
import type { AlertSessions } from './alert-sessions.js';
import type { AlertStore, NewOutboxRow, PollCommit } from './alert-store.js';
import { decideClips, isDoorbellType } from './clip-decision.js';
import { healthChanges } from './health-check.js';

/** Small per-session memory kept between polls. */
export interface PollMemory {
  /** Partial clips held since (local ms); allocated only when one is held. */
  held?: Map<string, number>;
  /** Doorbell camera ids from the last inventory. */
  doorbells?: Set<string>;
  /** Last inventory read (local ms), 0 = never. */
  inventoryAt: number;
}

export type PollResult = { kind: 'ok'; alerts: number } | { kind: 'gone' };

export interface SessionPollerDeps {
  db: Database;
  store: AlertStore;
  sessions: SessionsRepository;
  links: LinksRepository;
  settings: AlertSettingsRepository;
  /** Clips the bot asked for (/record): never announced as motion. */
  recordRequests?: RecordRequestsRepository;
  blink: AlertSessions;
  clock: Clock;
  log: Logger;
  /** How often the inventory is read per session, ms. */
  healthEveryMs: number;
  partialTimeoutMs: number;
  backlogCap: number;
  /** Clips older than this by Blink's clock when queued are summarised (F34). Undefined: no limit. */
  maxAlertAgeMs?: number;
  /**
   * Clips created up to this long before the baseline still count as new when they show up
   * later (Blink's own timestamps differ by a little between its servers and cameras, and the
   * Date header has 1 s resolution). Default 2 min.
   */
  baselineToleranceMs?: number;
  /** Called after rows were queued, with the moment changesSince returned (performance.now()). */
  onQueued: (rows: readonly NewOutboxRow[], checkReturnedAt: number) => void;
}

export function createSessionPoller(deps: SessionPollerDeps) {
  const { store, clock } = deps;

  /**
   * Chats that want alerts from this camera (or account-level notices when undefined). Read
   * on first use: an idle poll, the usual one, asks for no chat at all.
   */
  const targets = (sessionId: string) => {
    let chats: string[] | undefined;
    return (cameraId: string | undefined): string[] => {
      chats ??= deps.links.alertChats(sessionId);
      return cameraId === undefined ? chats : chats.filter((chat) => deps.settings.get(chat, cameraId)?.enabled !== false);
    };
  };

  return async function pollSession(sessionId: string, memory: PollMemory, signal?: AbortSignal): Promise<PollResult> {
    const session = deps.sessions.pollState(sessionId);
    if (session?.state !== 'linked') return { kind: 'gone' };
    const account = deps.blink.accountFor(sessionId);
    const watermark: Watermark | undefined =
      session.pollWatermark !== null && session.pollWatermarkMs !== null
        ? { updatedAt: session.pollWatermark, updatedAtMs: session.pollWatermarkMs }
        : undefined;
    const check = await account.changesSince(watermark, { priority: 'background', ...(signal ? { signal } : {}) });
    const returnedAt = performance.now();
    const now = clock.now();
    // F14: the line between history and new clips is Blink's time of the baseline poll,
    // never ours. Sessions baselined by an older bot have no marker: linked_at as before.
    // The link time on Blink's clock: Blink's "now" minus how long ago we linked. Only an
    // elapsed time of ours enters, so skew does not matter, and a clip recorded between the
    // link and this first poll (a late poll, a crash) is still new (docs/chat-contract.md §5).
    const linkOnBlinkClock = watermark === undefined && check.serverTime !== undefined ? check.serverTime - Math.max(0, now - session.linkedAt) : undefined;
    const baseline = watermark === undefined && linkOnBlinkClock === undefined;
    const baselineMs = watermark === undefined ? (linkOnBlinkClock ?? baselineTime(check)) : undefined;
    const storedBaseline = watermark === undefined ? undefined : store.baselineOf(sessionId);
    const cutoff =
      linkOnBlinkClock !== undefined
        ? linkOnBlinkClock - LINK_TOLERANCE_MS
        : storedBaseline !== undefined
          ? storedBaseline - (deps.baselineToleranceMs ?? 2 * 60_000)
          : session.linkedAt;
    const held = memory.held ?? new Map<string, number>();
    const chatsFor = targets(sessionId);
    const decision = decideClips({
      sessionId,
      linkedAtMs: cutoff,
      baseline,
      ...(deps.maxAlertAgeMs !== undefined ? { maxAgeMs: deps.maxAlertAgeMs } : {}),
      ...(check.serverTime !== undefined ? { ageNow: check.serverTime } : {}),
      clips: check.clips,
      watermark: check.watermark,
      isSeen: (id) => store.isSeen(sessionId, id),
      ...(deps.recordRequests ? { isRequested: (clip: BlinkClip) => deps.recordRequests?.covers(sessionId, clip, now) ?? false } : {}),
      isDoorbell: (clip: BlinkClip) => isDoorbellType(clip.deviceType) || (memory.doorbells?.has(clip.cameraId) ?? false),
      targets: chatsFor,
      held,
      now,
      partialTimeoutMs: deps.partialTimeoutMs,
      backlogCap: deps.backlogCap,
    });
    if (held.size > 0) memory.held = held;
    else delete memory.held;
    const commit: PollCommit = {
      sessionId,
      seen: decision.seen,
      outbox: decision.outbox,
      watermark: decision.watermark,
      ...(baselineMs !== undefined ? { baselineMs } : {}),
    };
    // An idle poll (nothing new, same cursor, no backoff to clear) writes nothing: at 10,000
    // accounts that is ~170 write transactions a second saved, and an SD card's wear.
    const added = changesStoredState(commit, session) ? store.commitPoll(commit, now) : 0;
    if (added > 0) deps.onQueued(decision.outbox, returnedAt);

    if (now - memory.inventoryAt >= deps.healthEveryMs) {
      memory.inventoryAt = now;
      try {
        const inventory = await account.inventory({ priority: 'background', ...(signal ? { signal } : {}) });
        const doorbells = inventory.cameras.filter((c) => c.capabilities.ring || c.family === 'doorbell').map((c) => c.id);
        if (doorbells.length > 0) memory.doorbells = new Set(doorbells);
        else delete memory.doorbells;
        const rows = deps.db.transaction(() => {
          const changes = healthChanges({ sessionId, inventory, store, targets: chatsFor, now: clock.now() });
          store.enqueueMany(changes, clock.now());
          return changes;
        })();
        if (rows.length > 0) deps.onQueued(rows, performance.now());
      } catch (error) {
        // Health is best effort; the clip cursor already moved. Try again next time.
        deps.log.debug({ sessionId, err: error }, 'inventory for health alerts failed');
      }
    }
    return { kind: 'ok', alerts: added };
  };
}

/** True when storing `commit` would change anything in `stored` (the row the poll began with). */
function changesStoredState(commit: PollCommit, stored: SessionPollState): boolean {
  return (
    commit.seen.length > 0 ||
    commit.outbox.length > 0 ||
    commit.baselineMs !== undefined ||
    stored.backoffUntil !== null ||
    (commit.watermark !== null && (commit.watermark.updatedAt !== stored.pollWatermark || commit.watermark.updatedAtMs !== stored.pollWatermarkMs))
  );
}

/** The Date header counts whole seconds; a clip stamped in the link's second is new. */
const LINK_TOLERANCE_MS = 2_000;

/**
 * Blink's time at the baseline: the newest timestamp among the clips it returned (Blink's
 * clip clock, the one later clips are compared with), or its Date header when the account
 * had no clip. Undefined when Blink told us neither.
 */
function baselineTime(check: ChangeCheck): number | undefined {
  let best: number | undefined;
  for (const clip of check.clips) {
    for (const t of [clip.createdAtMs, clip.updatedAtMs]) if (!Number.isNaN(t) && (best === undefined || t > best)) best = t;
  }
  return best ?? check.serverTime;
}

export type PollSession = ReturnType<typeof createSessionPoller>;
