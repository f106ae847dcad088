import type { Database } from 'better-sqlite3';

/** Checks of the database file itself: can it be read, can it be written (F31). */
export function createStorageRepository(db: Database) {
  const ping = db.prepare('SELECT 1');
  // 8 KiB of hex is 16 KiB of overflow pages: the write needs fresh pages, like a poll commit.
  const insert = db.prepare(
    "INSERT OR REPLACE INTO platform_files (platform, media_key, file_id, kind, created_at) VALUES ('tg', '~write-probe', hex(zeroblob(8192)), 'document', 0)",
  );
  const remove = db.prepare("DELETE FROM platform_files WHERE platform = 'tg' AND media_key = '~write-probe'");
  const probe = db.transaction(() => {
    insert.run();
    remove.run();
  });
  return {
    /** Throws when the database cannot be read. */
    ping(): void {
      ping.get();
    },
    /** A small committed write that leaves nothing behind; throws when the file cannot be written. */
    writeProbe(): void {
      probe.immediate();
    },
  };
}
