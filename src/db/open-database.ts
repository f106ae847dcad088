import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import type { Logger } from '../log.js';
import { applyMigrations, assertNotTooNew, readMigrations, userVersion } from './migrate.js';
import { defaultMigrationsDir } from './package-root.js';

export type { Database } from 'better-sqlite3';

export interface OpenDatabaseOptions {
  /** SQLite file; its parent folder is created. `:memory:` works for tests. */
  readonly path: string;
  /** Folder of `NNN-name.sql` files; default `<package root>/migrations`. */
  readonly migrationsDir?: string;
  readonly log?: Logger;
  /** How long a statement waits for another connection's lock, in ms; default 5000. */
  readonly busyTimeoutMs?: number;
}

/**
 * Opens (creating if needed) and migrates the database: WAL, foreign keys on, a busy
 * timeout, synchronous=NORMAL (durable with WAL except for the last commits on power loss).
 * Throws `DatabaseTooNewError` without touching the file when it was written by a newer
 * schema, and `MigrationError` (schema left at the previous version) when a migration fails.
 */
export function openDatabase(options: OpenDatabaseOptions): Database {
  const migrations = readMigrations(options.migrationsDir ?? defaultMigrationsDir());
  const inMemory = options.path === ':memory:';
  if (!inMemory) {
    mkdirSync(path.dirname(path.resolve(options.path)), { recursive: true });
    // Check the version read-only first: switching to WAL would rewrite the header of a
    // file we must leave untouched.
    if (existsSync(options.path)) {
      const probe = new BetterSqlite3(options.path, { readonly: true, fileMustExist: true });
      try {
        assertNotTooNew(userVersion(probe), migrations);
      } finally {
        probe.close();
      }
    } else {
      // Created 0600 before SQLite opens it: it holds sealed tokens and chat ids. SQLite
      // gives its -wal and -shm files the mode of the database file.
      closeSync(openSync(options.path, 'a', 0o600));
    }
  }
  const db = new BetterSqlite3(options.path, { timeout: options.busyTimeoutMs ?? 5000 });
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`);
    db.pragma('foreign_keys = ON');
    applyMigrations(db, migrations, options.log);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}
