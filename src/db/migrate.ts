import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { DatabaseTooNewError, MigrationError } from '../errors.js';
import type { Logger } from '../log.js';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

const FILE = /^([0-9]{3})-([a-z0-9-]+)\.sql$/;

/**
 * Reads `NNN-name.sql` files in version order. Versions must run 1, 2, 3… without gaps or
 * duplicates, so a missing file is noticed instead of silently skipped.
 */
export function readMigrations(dir: string): Migration[] {
  const migrations = readdirSync(dir)
    .map((file) => ({ file, match: FILE.exec(file) }))
    .filter((f): f is { file: string; match: RegExpExecArray } => f.match !== null)
    .map(({ file, match }) => ({
      version: Number(match[1]),
      name: match[2] ?? file,
      sql: readFileSync(path.join(dir, file), 'utf8'),
    }))
    .sort((a, b) => a.version - b.version);
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new MigrationError(`migrations in ${dir} must be numbered 001, 002, … without gaps; found ${m.version} at position ${i + 1}`, i);
    }
  });
  return migrations;
}

export function userVersion(db: Database): number {
  const value: unknown = db.pragma('user_version', { simple: true });
  return typeof value === 'number' ? value : 0;
}

/** Refuses a database written by a newer schema than `migrations` knows. Changes nothing. */
export function assertNotTooNew(version: number, migrations: readonly Migration[]): void {
  if (version > migrations.length) throw new DatabaseTooNewError(version, migrations.length);
}

/**
 * Applies each pending migration in its own transaction together with
 * `PRAGMA user_version = N`, so a crash or a failing statement leaves the previous
 * version and schema intact and the next start retries the same file. Foreign keys are
 * off while migrating (SQLite's recipe for table rebuilds) and checked before each commit.
 * Migration files must not contain BEGIN/COMMIT themselves.
 */
export function applyMigrations(db: Database, migrations: readonly Migration[], log?: Logger): number {
  const start = userVersion(db);
  assertNotTooNew(start, migrations);
  const pending = migrations.filter((m) => m.version > start);
  if (pending.length === 0) return start;
  db.pragma('foreign_keys = OFF');
  try {
    for (const m of pending) {
      const run = db.transaction(() => {
        db.exec(m.sql);
        const violations = db.pragma('foreign_key_check') as unknown[];
        if (violations.length > 0) throw new Error(`${violations.length} foreign key violation(s)`);
        db.pragma(`user_version = ${m.version}`);
      });
      try {
        run.immediate();
      } catch (cause) {
        throw new MigrationError(
          `migration ${String(m.version).padStart(3, '0')}-${m.name} failed; the schema stays at version ${m.version - 1}`,
          m.version - 1,
          { cause },
        );
      }
      log?.info({ version: m.version, migration: m.name }, 'migration applied');
    }
  } finally {
    db.pragma('foreign_keys = ON');
  }
  return userVersion(db);
}
