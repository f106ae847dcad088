/**
 * The alert pipeline's view of the database, over the db repositories: clips_seen, the
 * outbox, device_health, platform_files and the poll columns of blink_sessions. The poll commit
 * (`commitPoll`) is one transaction, so the watermark only moves once the rows it covers
 * are stored (docs/chat-contract.md F11, F28).
 */
import type { Database } from 'better-sqlite3';
import { createClipsSeenRepository } from '../db/repositories/clips-seen.js';
import { createHealthRepository } from '../db/repositories/health.js';
import { createOutboxRepository, type EnqueueInput, type OutboxRecord, type OutboxState } from '../db/repositories/outbox.js';
import { createPlatformFilesRepository } from '../db/repositories/platform-files.js';
import { createSessionsRepository } from '../db/repositories/sessions.js';

export type { OutboxState } from '../db/repositories/outbox.js';

/** An outbox row as the delivery worker reads it (payload still JSON text). */
export type OutboxRow = OutboxRecord;

export type NewOutboxRow = EnqueueInput;

export interface SeenClip {
  mediaId: string;
  cameraId: string;
  networkId: string;
  createdAtMs: number;
  source: string;
}

export interface PollCommit {
  sessionId: string;
  seen: SeenClip[];
  outbox: NewOutboxRow[];
  watermark: { updatedAt: string; updatedAtMs: number } | null;
  /** Set by the baseline poll: Blink's time then, the line between history and new clips (F14). */
  baselineMs?: number;
}

/**
 * Clips of this poll that retention may already have forgotten: created at or before the
 * newest clip it pruned (docs/endurance.md, "Retention"). Blink reports an old clip again
 * when it changes (viewed, deleted); it was seen once, so it must not alert now.
 */
function forgottenClips(input: PollCommit, forgottenUpTo: number | undefined): Set<string> {
  if (forgottenUpTo === undefined) return new Set();
  return new Set(input.seen.filter((c) => c.createdAtMs <= forgottenUpTo).map((c) => c.mediaId));
}

/** The clip an outbox row is about: its media id, or the newest clip a backlog summary covers. */
function alertedClipId(row: NewOutboxRow): string {
  return row.mediaId.startsWith('backlog:') ? row.mediaId.slice('backlog:'.length) : row.mediaId;
}

export function createAlertStore(db: Database) {
  const outbox = createOutboxRepository(db);
  const clips = createClipsSeenRepository(db);
  const sessions = createSessionsRepository(db);
  const health = createHealthRepository(db);
  const files = createPlatformFilesRepository(db);

  const addOutbox = (row: NewOutboxRow, now: number): boolean => outbox.enqueue(row, now) === 'inserted';

  const commit = db.transaction((input: PollCommit, now: number): number => {
    if (input.baselineMs !== undefined) clips.setBaseline(input.sessionId, input.baselineMs, now);
    const forgotten = forgottenClips(input, clips.forgottenUpTo(input.sessionId));
    clips.recordSeen(
      input.seen.map((c) => ({ sessionId: input.sessionId, ...c })),
      now,
    );
    let added = 0;
    for (const row of input.outbox) if (!forgotten.has(alertedClipId(row)) && addOutbox(row, now)) added++;
    if (input.watermark) sessions.advancePollCursor(input.sessionId, input.watermark, now);
    return added;
  });

  return {
    isSeen(sessionId: string, mediaId: string): boolean {
      return clips.has(sessionId, mediaId);
    },
    /**
     * Stores seen clips, the alerts they cause and the new watermark atomically. Outbox rows
     * already present (same session, media, chat, kind) are ignored. Returns rows added.
     */
    commitPoll(input: PollCommit, now: number): number {
      return commit.immediate(input, now);
    },
    /** Blink's time of the account's baseline poll (epoch ms), or undefined (none yet, or an older bot made it). */
    baselineOf(sessionId: string): number | undefined {
      return clips.baselineOf(sessionId);
    },
    /** One outbox row outside a poll (notices, health); false when it already existed. */
    enqueue(row: NewOutboxRow, now: number): boolean {
      return addOutbox(row, now);
    },
    enqueueMany: db.transaction((rows: NewOutboxRow[], now: number): number => rows.filter((r) => addOutbox(r, now)).length),
    recordBackoff(sessionId: string, now: number, until: number | null): void {
      sessions.recordPollBackoff(sessionId, now, until);
    },
    pollableSessions(): { id: string; backoffUntil: number | null }[] {
      return sessions.pollable();
    },
    pendingHeads(): OutboxRow[] {
      return outbox.pendingHeads();
    },
    markSent(id: number, now: number, platformMessageId: string | null): void {
      outbox.settle(id, { state: 'sent', sentAt: now, platformMessageId });
    },
    markFinal(id: number, state: 'failed' | 'skipped', reason: string): void {
      outbox.settle(id, { state, reason });
    },
    scheduleRetry(id: number, attempts: number, at: number, reason: string): void {
      outbox.reschedule(id, attempts, at, reason);
    },
    skipPendingForChat(chat: string, reason: string): number {
      return outbox.skipPendingForChat(chat, reason);
    },
    healthState(sessionId: string, deviceId: string, kind: string): string | undefined {
      return health.get(sessionId, deviceId, kind)?.state;
    },
    setHealthState(sessionId: string, deviceId: string, kind: string, state: string, now: number): void {
      health.record({ sessionId, deviceId, kind, state }, now);
    },
    rememberFile(platform: string, mediaKey: string, fileId: string, kind: 'video' | 'photo', now: number): void {
      if (platform === 'tg' || platform === 'dc') files.putIfAbsent({ platform, mediaKey, fileId, kind }, now);
    },
    knownFile(platform: string, mediaKey: string): string | undefined {
      return platform === 'tg' || platform === 'dc' ? files.get(platform, mediaKey)?.fileId : undefined;
    },
    outboxCounts(): Record<OutboxState, number> {
      return outbox.countByState();
    },
  };
}

export type AlertStore = ReturnType<typeof createAlertStore>;
