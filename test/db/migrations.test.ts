import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { openDatabase, readMigrations, userVersion } from '../../src/db/index.js';
import { defaultMigrationsDir } from '../../src/db/package-root.js';
import { DatabaseTooNewError, MigrationError } from '../../src/errors.js';
import { tempDir } from '../helpers/temp-dir.js';

/** The newest schema version the bundled migrations reach. */
const LATEST = readMigrations(defaultMigrationsDir()).length;

const tables = (db: BetterSqlite3.Database): string[] =>
  db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all()
    .map((r) => r.name);

test('a fresh database gets the whole schema, WAL, foreign keys and a busy timeout; the parent folder is created', (t) => {
  const dir = tempDir(t);
  const started = performance.now();
  const db = openDatabase({ path: path.join(dir, 'nested', 'bot.sqlite') });
  const freshMs = performance.now() - started;
  t.after(() => db.close());
  assert.equal(userVersion(db), LATEST);
  assert.deepEqual(tables(db), [
    'allowed_chats',
    'audit_log',
    'blink_sessions',
    'camera_alert_settings',
    'chat_links',
    'clips_seen',
    'device_health',
    'outbox',
    'platform_files',
    'record_requests',
    'users',
  ]);
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
  assert.equal(db.pragma('busy_timeout', { simple: true }), 5000);
  assert.equal(db.pragma('synchronous', { simple: true }), 1);
  t.diagnostic(`fresh open + migrate: ${freshMs.toFixed(1)} ms`);
});

test('re-opening a migrated database changes nothing', (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'bot.sqlite');
  openDatabase({ path: file }).close();
  const before = readFileSync(file);
  const started = performance.now();
  const db = openDatabase({ path: file });
  const reopenMs = performance.now() - started;
  assert.equal(userVersion(db), LATEST);
  db.close();
  assert.deepEqual(readFileSync(file), before);
  t.diagnostic(`re-open: ${reopenMs.toFixed(1)} ms`);
});

test('a database newer than the code is refused and its bytes are left untouched', (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'bot.sqlite');
  const raw = new BetterSqlite3(file);
  raw.exec('CREATE TABLE future (x INTEGER)');
  raw.pragma('user_version = 99');
  raw.close();
  const before = readFileSync(file);
  assert.throws(
    () => openDatabase({ path: file }),
    (e: unknown) => e instanceof DatabaseTooNewError && e.databaseVersion === 99,
  );
  assert.deepEqual(readFileSync(file), before);
});

test('a migration failing midway leaves the previous version and schema; fixed, it applies on the next open', (t) => {
  const dir = tempDir(t);
  const migrations = path.join(dir, 'migrations');
  mkdirSync(migrations);
  writeFileSync(path.join(migrations, '001-first.sql'), 'CREATE TABLE a (id INTEGER PRIMARY KEY);');
  writeFileSync(
    path.join(migrations, '002-second.sql'),
    'CREATE TABLE b (id INTEGER PRIMARY KEY);\nINSERT INTO a (id) VALUES (1);\nINSERT INTO no_such_table VALUES (1);',
  );
  const file = path.join(dir, 'bot.sqlite');
  assert.throws(
    () => openDatabase({ path: file, migrationsDir: migrations }),
    (e: unknown) => e instanceof MigrationError && e.version === 1,
  );
  const check = new BetterSqlite3(file, { readonly: true });
  assert.equal(userVersion(check), 1);
  assert.deepEqual(tables(check), ['a']);
  assert.deepEqual(check.prepare('SELECT count(*) AS n FROM a').get(), { n: 0 });
  check.close();

  writeFileSync(path.join(migrations, '002-second.sql'), 'CREATE TABLE b (id INTEGER PRIMARY KEY);');
  const db = openDatabase({ path: file, migrationsDir: migrations });
  assert.equal(userVersion(db), 2);
  assert.deepEqual(tables(db), ['a', 'b']);
  db.close();
});

test('a gap in migration numbers is refused', (t) => {
  const dir = tempDir(t);
  writeFileSync(path.join(dir, '001-a.sql'), 'CREATE TABLE a (x);');
  writeFileSync(path.join(dir, '003-c.sql'), 'CREATE TABLE c (x);');
  assert.throws(() => openDatabase({ path: ':memory:', migrationsDir: dir }), MigrationError);
});
