/**
 * The alert pipeline's statements over the 001 schema: clips_seen, the outbox (through the
 * db outbox repository), device_health, platform_files and the poll columns of blink_sessions. The poll commit
 * (`commitPoll`) is one transaction, so the watermark only moves once the rows it covers
 * are stored (docs/chat-contract.md F11, F28).
 */
import type { Database } from 'better-sqlite3';
import { createOutboxRepository, type EnqueueInput, type OutboxRecord, type OutboxState } from '../db/repositories/outbox.js';

export type { OutboxKind, OutboxState } from '../db/repositories/outbox.js';

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

/** media_id of the baseline marker row in clips_seen. */
const BASELINE_MARKER = '~baseline';

export function createAlertStore(db: Database) {
  const outbox = createOutboxRepository(db);
  const seen = db.prepare<[string, string], { media_id: string }>(
    'SELECT media_id FROM clips_seen WHERE session_id = ? AND media_id = ?',
  );
  const insertSeen = db.prepare(
    `INSERT INTO clips_seen (session_id, media_id, camera_id, network_id, created_at_ms, source, first_seen_at)
     VALUES (@sessionId, @mediaId, @cameraId, @networkId, @createdAtMs, @source, @now) ON CONFLICT DO NOTHING`,
  );
  const watermark = db.prepare<[string, number, number, string]>(
    'UPDATE blink_sessions SET poll_watermark = ?, poll_watermark_ms = ?, last_poll_at = ?, backoff_until = NULL WHERE id = ?',
  );
  const backoff = db.prepare<[number, number | null, string]>(
    'UPDATE blink_sessions SET last_poll_at = ?, backoff_until = ? WHERE id = ?',
  );
  const pollable = db.prepare<[], { id: string; backoff_until: number | null }>(
    "SELECT id, backoff_until FROM blink_sessions WHERE state = 'linked'",
  );
  const health = db.prepare<[string, string, string], { state: string }>(
    'SELECT state FROM device_health WHERE session_id = ? AND device_id = ? AND kind = ?',
  );
  const putHealth = db.prepare<[string, string, string, string, number]>(
    `INSERT INTO device_health (session_id, device_id, kind, state, changed_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (session_id, device_id, kind) DO UPDATE SET state = excluded.state, changed_at = excluded.changed_at`,
  );
  const putFile = db.prepare<[string, string, string, string, number]>(
    `INSERT INTO platform_files (platform, media_key, file_id, kind, created_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (platform, media_key) DO NOTHING`,
  );
  const getFile = db.prepare<[string, string], { file_id: string }>(
    'SELECT file_id FROM platform_files WHERE platform = ? AND media_key = ?',
  );
  // The F14 baseline (Blink's time when the account's first poll answered) lives in a
  // marker row of clips_seen: no schema change, dropped with the session (ON DELETE CASCADE).
  // Blink media ids are numeric, so the marker id cannot collide with a clip.
  const putBaseline = db.prepare<[string, number, number]>(
    `INSERT INTO clips_seen (session_id, media_id, camera_id, network_id, created_at_ms, source, first_seen_at)
     VALUES (?, '${BASELINE_MARKER}', NULL, NULL, ?, 'baseline', ?)
     ON CONFLICT (session_id, media_id) DO UPDATE SET created_at_ms = excluded.created_at_ms, first_seen_at = excluded.first_seen_at`,
  );
  const getBaseline = db.prepare<[string], { created_at_ms: number }>(
    `SELECT created_at_ms FROM clips_seen WHERE session_id = ? AND media_id = '${BASELINE_MARKER}'`,
  );


  const addOutbox = (row: NewOutboxRow, now: number): boolean => outbox.enqueue(row, now) === 'inserted';

  const commit = db.transaction(
    (input: PollCommit, now: number): number => {
      if (input.baselineMs !== undefined) putBaseline.run(input.sessionId, input.baselineMs, now);
      for (const clip of input.seen) insertSeen.run({ sessionId: input.sessionId, ...clip, now });
      let added = 0;
      for (const row of input.outbox) if (addOutbox(row, now)) added++;
      if (input.watermark) watermark.run(input.watermark.updatedAt, input.watermark.updatedAtMs, now, input.sessionId);
      return added;
    },
  );

  return {
    isSeen(sessionId: string, mediaId: string): boolean {
      return seen.get(sessionId, mediaId) !== undefined;
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
      return getBaseline.get(sessionId)?.created_at_ms;
    },
    /** One outbox row outside a poll (notices, health); false when it already existed. */
    enqueue(row: NewOutboxRow, now: number): boolean {
      return addOutbox(row, now);
    },
    enqueueMany: db.transaction((rows: NewOutboxRow[], now: number): number => rows.filter((r) => addOutbox(r, now)).length),
    recordBackoff(sessionId: string, now: number, until: number | null): void {
      backoff.run(now, until, sessionId);
    },
    pollableSessions(): { id: string; backoffUntil: number | null }[] {
      return pollable.all().map((r) => ({ id: r.id, backoffUntil: r.backoff_until }));
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
      putHealth.run(sessionId, deviceId, kind, state, now);
    },
    rememberFile(platform: string, mediaKey: string, fileId: string, kind: 'video' | 'photo', now: number): void {
      if (platform === 'tg' || platform === 'dc') putFile.run(platform, mediaKey, fileId, kind, now);
    },
    knownFile(platform: string, mediaKey: string): string | undefined {
      return getFile.get(platform, mediaKey)?.file_id;
    },
    outboxCounts(): Record<OutboxState, number> {
      return outbox.countByState();
    },
  };
}

export type AlertStore = ReturnType<typeof createAlertStore>;
