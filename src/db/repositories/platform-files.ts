import type { Database } from 'better-sqlite3';

export interface PlatformFile {
  readonly platform: 'tg' | 'dc';
  /** Caller-chosen key of the media, e.g. `${sessionId}:${mediaId}`. */
  readonly mediaKey: string;
  /** Telegram file_id or Discord attachment URL/id. */
  readonly fileId: string;
  readonly kind: 'video' | 'photo' | 'document';
  readonly sizeBytes: number | null;
  readonly createdAt: number;
}

interface PlatformFileRow {
  platform: 'tg' | 'dc';
  media_key: string;
  file_id: string;
  kind: 'video' | 'photo' | 'document';
  size_bytes: number | null;
  created_at: number;
}

export function createPlatformFilesRepository(db: Database) {
  const get = db.prepare<[string, string], PlatformFileRow>('SELECT * FROM platform_files WHERE platform = ? AND media_key = ?');
  const put = db.prepare<[string, string, string, string, number | null, number]>(
    `INSERT INTO platform_files (platform, media_key, file_id, kind, size_bytes, created_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (platform, media_key) DO UPDATE SET file_id = excluded.file_id, kind = excluded.kind,
       size_bytes = excluded.size_bytes, created_at = excluded.created_at`,
  );
  const keep = db.prepare<[string, string, string, string, number]>(
    `INSERT INTO platform_files (platform, media_key, file_id, kind, created_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (platform, media_key) DO NOTHING`,
  );
  const forget = db.prepare<[string, string]>('DELETE FROM platform_files WHERE platform = ? AND media_key = ?');
  const oldest = db.prepare<[number, number], { platform: string; media_key: string }>(
    'SELECT platform, media_key FROM platform_files WHERE created_at < ? LIMIT ?',
  );
  const pruneBatch = db.transaction((before: number, limit: number): number => {
    const rows = oldest.all(before, limit);
    for (const r of rows) forget.run(r.platform, r.media_key);
    return rows.length;
  });
  return {
    get(platform: 'tg' | 'dc', mediaKey: string): PlatformFile | undefined {
      const r = get.get(platform, mediaKey);
      return r && { platform: r.platform, mediaKey: r.media_key, fileId: r.file_id, kind: r.kind, sizeBytes: r.size_bytes, createdAt: r.created_at };
    },
    /** Remembers (or replaces) the platform's file id for the media. */
    put(file: Omit<PlatformFile, 'createdAt'>, now: number): void {
      put.run(file.platform, file.mediaKey, file.fileId, file.kind, file.sizeBytes, now);
    },
    /** Remembers the first file id the platform gave for the media; a later one is ignored. */
    putIfAbsent(file: Pick<PlatformFile, 'platform' | 'mediaKey' | 'fileId' | 'kind'>, now: number): void {
      keep.run(file.platform, file.mediaKey, file.fileId, file.kind, now);
    },
    /** Forgets up to `limit` file ids stored before `before` (epoch ms); returns how many. */
    pruneBatch(before: number, limit: number): number {
      return pruneBatch(before, limit);
    },
    /** Drops a file id the platform no longer accepts. */
    forget(platform: 'tg' | 'dc', mediaKey: string): boolean {
      return forget.run(platform, mediaKey).changes > 0;
    },
  };
}
