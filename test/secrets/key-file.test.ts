import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { SecretKeyError } from '../../src/errors.js';
import { loadOrCreateKey } from '../../src/secrets/index.js';
import { tempDir } from '../helpers/temp-dir.js';

test('without SECRET_KEY a key file is created beside the database, mode 0600, and reused', (t) => {
  const dir = tempDir(t);
  const databasePath = path.join(dir, 'data', 'bot.sqlite');
  const first = loadOrCreateKey({ databasePath });
  assert.equal(first.source, 'created');
  assert.equal(first.key.length, 32);
  assert.equal(first.keyPath, path.join(dir, 'data', 'secret.key'));
  assert.equal(statSync(first.keyPath).mode & 0o777, 0o600);
  assert.deepEqual(readdirSync(path.join(dir, 'data')), ['secret.key'], 'no temp file left');
  const second = loadOrCreateKey({ databasePath });
  assert.equal(second.source, 'file');
  assert.deepEqual(second.key, first.key);
});

test('an existing key file is never overwritten, even when it is bad', (t) => {
  const dir = tempDir(t);
  const databasePath = path.join(dir, 'bot.sqlite');
  const keyPath = path.join(dir, 'secret.key');
  writeFileSync(keyPath, 'too short\n', { mode: 0o600 });
  assert.throws(() => loadOrCreateKey({ databasePath }), SecretKeyError);
  assert.equal(readFileSync(keyPath, 'utf8'), 'too short\n');
});

test('SECRET_KEY wins and creates no file', (t) => {
  const dir = tempDir(t);
  const loaded = loadOrCreateKey({ databasePath: path.join(dir, 'bot.sqlite'), secretKeyFromEnv: Buffer.alloc(32, 9) });
  assert.equal(loaded.source, 'env');
  assert.deepEqual(loaded.key, Buffer.alloc(32, 9));
  assert.deepEqual(readdirSync(dir), []);
  assert.throws(() => loadOrCreateKey({ databasePath: path.join(dir, 'x'), secretKeyFromEnv: Buffer.alloc(8) }), SecretKeyError);
});

test('an unreadable key file is a clear error', { skip: process.getuid?.() === 0 ? 'root reads any file' : false }, (t) => {
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'secret.key'), 'ab'.repeat(32), { mode: 0o000 });
  assert.throws(() => loadOrCreateKey({ databasePath: path.join(dir, 'bot.sqlite') }), /cannot read the key file/);
});

test('a key file that is a directory is a clear error, not a new key', (t) => {
  const dir = tempDir(t);
  // secret.key as a folder: unreadable as a file, and must not be replaced.
  mkdirSync(path.join(dir, 'secret.key'), { recursive: true });
  assert.throws(() => loadOrCreateKey({ databasePath: path.join(dir, 'bot.sqlite') }), SecretKeyError);
});
