import type { Database } from 'better-sqlite3';

export interface SeenClip {
  readonly sessionId: string;
  readonly mediaId: string;
  readonly cameraId: string | null;
  readonly networkId: string | null;
  /** Blink's creation time of the clip, epoch ms. */
  readonly createdAtMs: number;
  /** Blink's source of the clip, e.g. 'pir' or 'button' (doorbell press). */
  readonly source: string | null;
}

// Per-session marker rows share the table with clips (no schema change, dropped with the
// session by ON DELETE CASCADE). Blink media ids are numeric, so a '~' id cannot collide.
/** The F14 baseline: Blink's time when the account's first poll answered. */
const BASELINE_MARKER = '~baseline';
/** The newest Blink creation time among the clips retention forgot (see `pruneBatch`). */
const PRUNED_MARKER = '~pruned';

export function createClipsSeenRepository(db: Database) {
  const insert = db.prepare<[string, string, string | null, string | null, number, string | null, number]>(
    `INSERT INTO clips_seen (session_id, media_id, camera_id, network_id, created_at_ms, source, first_seen_at)
     VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  );
  const has = db.prepare<[string, string], { one: number }>('SELECT 1 AS one FROM clips_seen WHERE session_id = ? AND media_id = ?');
  const putMarker = db.prepare<[string, string, number, string, number]>(
    `INSERT INTO clips_seen (session_id, media_id, camera_id, network_id, created_at_ms, source, first_seen_at)
     VALUES (?, ?, NULL, NULL, ?, ?, ?)
     ON CONFLICT (session_id, media_id) DO UPDATE SET created_at_ms = excluded.created_at_ms, first_seen_at = excluded.first_seen_at`,
  );
  const getMarker = db.prepare<[string, string], { created_at_ms: number }>('SELECT created_at_ms FROM clips_seen WHERE session_id = ? AND media_id = ?');
  // Oldest first through clips_seen_by_age; marker rows are never candidates.
  const oldest = db.prepare<[number, number], { session_id: string; media_id: string; created_at_ms: number }>(
    `SELECT session_id, media_id, created_at_ms FROM clips_seen
     WHERE first_seen_at < ? AND media_id NOT GLOB '~*' ORDER BY first_seen_at LIMIT ?`,
  );
  const remove = db.prepare<[string, string]>('DELETE FROM clips_seen WHERE session_id = ? AND media_id = ?');
  const record = db.transaction((clips: readonly SeenClip[], now: number): SeenClip[] =>
    clips.filter((c) => insert.run(c.sessionId, c.mediaId, c.cameraId, c.networkId, c.createdAtMs, c.source, now).changes > 0),
  );
  const pruneBatch = db.transaction((before: number, limit: number, now: number): number => {
    const rows = oldest.all(before, limit);
    const horizon = new Map<string, number>();
    for (const r of rows) {
      remove.run(r.session_id, r.media_id);
      horizon.set(r.session_id, Math.max(horizon.get(r.session_id) ?? Number.NEGATIVE_INFINITY, r.created_at_ms));
    }
    for (const [sessionId, createdAtMs] of horizon) {
      const known = getMarker.get(sessionId, PRUNED_MARKER)?.created_at_ms;
      if (known === undefined || createdAtMs > known) putMarker.run(sessionId, PRUNED_MARKER, createdAtMs, 'retention', now);
    }
    return rows.length;
  });
  return {
    /** Records clips in one transaction and returns only those not seen before. */
    recordSeen(clips: readonly SeenClip[], now: number): SeenClip[] {
      return record(clips, now);
    },
    has(sessionId: string, mediaId: string): boolean {
      return has.get(sessionId, mediaId) !== undefined;
    },
    /** Stores Blink's time of the account's baseline poll (epoch ms). */
    setBaseline(sessionId: string, blinkMs: number, now: number): void {
      putMarker.run(sessionId, BASELINE_MARKER, blinkMs, 'baseline', now);
    },
    /** Blink's time of the account's baseline poll, or undefined (none yet, or an older bot made it). */
    baselineOf(sessionId: string): number | undefined {
      return getMarker.get(sessionId, BASELINE_MARKER)?.created_at_ms;
    },
    /**
     * The newest Blink creation time (epoch ms) of a clip this session forgot, or undefined.
     * A clip created at or before it may have been seen and pruned, so it must not alert.
     */
    forgottenUpTo(sessionId: string): number | undefined {
      return getMarker.get(sessionId, PRUNED_MARKER)?.created_at_ms;
    },
    /**
     * Forgets up to `limit` clips first seen before `before` (epoch ms), oldest first, in
     * one short transaction, and raises each session's `forgottenUpTo`. Returns how many.
     */
    pruneBatch(before: number, limit: number, now: number): number {
      return pruneBatch(before, limit, now);
    },
  };
}
