import { existsSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { z } from 'zod';

const Rows = z.array(z.object({ sealed_tokens: z.instanceof(Buffer) }));

/**
 * The sealed tokens of every stored session, read before the database is opened for use,
 * so that a wrong or missing key is refused before anything changes. No file is created:
 * a missing database has none. The connection is query-only; it is read-write underneath
 * because a read-only one would leave the WAL's -shm and -wal files behind.
 */
export function readSealedTokens(databasePath: string): Buffer[] {
  if (databasePath === ':memory:' || !existsSync(databasePath)) return [];
  const db = new BetterSqlite3(databasePath, { fileMustExist: true, timeout: 5000 });
  try {
    db.pragma('query_only = ON');
    const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'blink_sessions'").get();
    if (table === undefined) return [];
    return Rows.parse(db.prepare('SELECT sealed_tokens FROM blink_sessions WHERE sealed_tokens IS NOT NULL').all()).map((r) => r.sealed_tokens);
  } finally {
    db.close();
  }
}
