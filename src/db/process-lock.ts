import { closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { DatabaseLockedError } from '../errors.js';

export interface DatabaseLock {
  readonly lockPath: string;
  /** Idempotent. */
  release(): void;
}

/** `<database>.lock`, beside the database. */
function lockPathFor(databasePath: string): string {
  return `${path.resolve(databasePath)}.lock`;
}

/**
 * Takes the database's process lock: the bot holds it from start to exit, and rotate-key
 * while it re-seals, so neither runs beside the other. It is SQLite's own exclusive lock
 * on a small side file, an OS file lock that dies with its process: a lock left by a
 * killed process never blocks anyone. Waits up to `waitMs` for a holder to finish, then
 * throws DatabaseLockedError. The lock file is created 0600 and left in place (empty).
 */
export function lockDatabase(databasePath: string, options: { waitMs: number; holderHint: string }): DatabaseLock {
  // A database in memory belongs to this process alone.
  if (databasePath === ':memory:') return { lockPath: databasePath, release: () => undefined };
  const lockPath = lockPathFor(databasePath);
  mkdirSync(path.dirname(lockPath), { recursive: true });
  closeSync(openSync(lockPath, 'a', 0o600));
  const db = new BetterSqlite3(lockPath, { timeout: options.waitMs });
  try {
    // No journal file: nothing is ever written, the transaction only holds the lock.
    db.pragma('journal_mode = MEMORY');
    db.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    db.close();
    if (error instanceof Error && 'code' in error && (error.code === 'SQLITE_BUSY' || error.code === 'SQLITE_LOCKED')) {
      throw new DatabaseLockedError(lockPath, `${options.holderHint} (it holds ${lockPath})`);
    }
    throw error;
  }
  let held = true;
  return {
    lockPath,
    release() {
      if (!held) return;
      held = false;
      db.close();
    },
  };
}
