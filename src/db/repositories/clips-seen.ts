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

export function createClipsSeenRepository(db: Database) {
  const insert = db.prepare<[string, string, string | null, string | null, number, string | null, number]>(
    `INSERT INTO clips_seen (session_id, media_id, camera_id, network_id, created_at_ms, source, first_seen_at)
     VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  );
  const has = db.prepare<[string, string], { one: number }>('SELECT 1 AS one FROM clips_seen WHERE session_id = ? AND media_id = ?');
  const prune = db.prepare<[number]>('DELETE FROM clips_seen WHERE first_seen_at < ?');
  const record = db.transaction((clips: readonly SeenClip[], now: number): SeenClip[] =>
    clips.filter(
      (c) => insert.run(c.sessionId, c.mediaId, c.cameraId, c.networkId, c.createdAtMs, c.source, now).changes > 0,
    ),
  );
  return {
    /** Records clips in one transaction and returns only those not seen before. */
    recordSeen(clips: readonly SeenClip[], now: number): SeenClip[] {
      return record(clips, now);
    },
    has(sessionId: string, mediaId: string): boolean {
      return has.get(sessionId, mediaId) !== undefined;
    },
    /** Forgets clips first seen before `before` (epoch ms); returns how many. */
    pruneSeenBefore(before: number): number {
      return prune.run(before).changes;
    },
  };
}

export type ClipsSeenRepository = ReturnType<typeof createClipsSeenRepository>;
