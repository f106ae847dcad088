import type { Database } from 'better-sqlite3';

/**
 * Clips the bot asked a camera to record (/record). Such a clip is never a motion alert: the
 * alert poller asks `covers` before announcing one, and /record claims its clip once listed.
 */
export function createRecordRequestsRepository(db: Database) {
  const insert = db.prepare<[string, string, number, number, number]>(
    'INSERT INTO record_requests (session_id, camera_id, after_ms, requested_at, expires_at) VALUES (?, ?, ?, ?, ?)',
  );
  const covering = db.prepare<[string, string, number, number, string], { one: number }>(
    `SELECT 1 AS one FROM record_requests
     WHERE session_id = ? AND camera_id = ? AND after_ms < ? AND expires_at > ? AND (clip_id IS NULL OR clip_id = ?) LIMIT 1`,
  );
  const claim = db.prepare<[string, number]>('UPDATE record_requests SET clip_id = ? WHERE id = ?');
  const close = db.prepare<[number, number]>('UPDATE record_requests SET expires_at = ? WHERE id = ?');
  const prune = db.prepare<[number]>('DELETE FROM record_requests WHERE expires_at < ?');
  return {
    /** Opens a request; returns its id. */
    open(input: { sessionId: string; cameraId: string; afterMs: number; now: number; ttlMs: number }): number {
      return Number(insert.run(input.sessionId, input.cameraId, input.afterMs, input.now, input.now + input.ttlMs).lastInsertRowid);
    },
    /** Is this clip (camera, Blink creation time) one the bot asked for? */
    covers(sessionId: string, clip: { id: string; cameraId: string; createdAtMs: number }, now: number): boolean {
      return covering.get(sessionId, clip.cameraId, clip.createdAtMs, now, clip.id) !== undefined;
    },
    /** /record found its clip: later clips of the camera alert again. */
    claim(id: number, clipId: string): void {
      claim.run(clipId, id);
    },
    /** /record gave up: the request stops covering clips after a short grace (a late clip is still ours). */
    closeAt(id: number, at: number): void {
      close.run(at, id);
    },
    /** Forgets requests that ended before `before`; returns how many. */
    pruneBefore(before: number): number {
      return prune.run(before).changes;
    },
  };
}

export type RecordRequestsRepository = ReturnType<typeof createRecordRequestsRepository>;
