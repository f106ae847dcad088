/**
 * The token key (docs/security.md): a bot whose `secret.key` is missing, or whose
 * SECRET_KEY or key file is not the key that sealed the stored sessions, refuses to start
 * (exit 2, naming the key and what to do) and changes nothing: no file made, no row
 * touched. Restoring the right key afterwards finds every session intact. The real entry
 * is spawned, as an operator would start it.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { copyFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { createRepositories, openDatabase } from '../../src/db/index.js';
import { createSessionManager } from '../../src/core/session-manager.js';
import { createSealer } from '../../src/secrets/index.js';
import { createBlinkService } from '../../src/blink/service.js';
import { systemClock } from '../../src/clock.js';
import { SealError } from '../../src/errors.js';
import { createLogger } from '../../src/log.js';
import { folderSnapshot, readKey, sealedDb, sessionRows } from '../helpers/sealed-db.js';
import { waitForReady } from '../soak/crash-run.js';
import { offlineBotEnv, spawnEntry } from '../helpers/spawn-entry.js';

const botEnv = offlineBotEnv;
const startBot = (env: Record<string, string>) => spawnEntry(['src/main.ts'], env);

async function refused(env: Record<string, string>): Promise<string> {
  const bot = startBot(env);
  const code = await bot.exited;
  assert.equal(code, 2, bot.stderr());
  assert.equal(bot.stderr().trim().split('\n').length, 1, `one line:\n${bot.stderr()}`);
  return bot.stderr();
}

async function startsAndStops(env: Record<string, string>): Promise<void> {
  const bot = startBot(env);
  await waitForReady(bot.child, 'bot');
  bot.child.kill('SIGTERM');
  assert.equal(await bot.exited, 0, bot.stderr());
}

// Each case spawns its own bot: they run side by side to keep the file short.
describe('refusing the wrong key', { concurrency: true }, () => {
  test('secret.key missing while sessions are sealed: exit 2 naming the file, nothing created or touched; the restored key finds them intact', async (t) => {
    const s = sealedDb(t, 3, 'key-missing-');
    const saved = path.join(s.dir, '..', `${path.basename(s.dir)}.key-backup`);
    renameSync(s.keyPath, saved);
    t.after(() => rmSync(saved, { force: true }));
    const before = folderSnapshot(s.dir);
    const rows = sessionRows(s.dbPath);

    const stderr = await refused(botEnv(s.dbPath));
    assert.match(stderr, new RegExp(`${s.keyPath.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is missing`));
    assert.match(stderr, /3 session\(s\) sealed with key id [0-9a-f]{16}/);
    assert.match(stderr, /Restore secret\.key from your backup/);
    assert.match(stderr, /SECRET_KEY/);
    assert.deepEqual(folderSnapshot(s.dir), before, 'no key file, no lock, no WAL: the folder is byte for byte as it was');
    assert.deepEqual(sessionRows(s.dbPath), rows);

    copyFileSync(saved, s.keyPath);
    await startsAndStops(botEnv(s.dbPath));
    assert.deepEqual(
      sessionRows(s.dbPath).map((r) => [r.owner_user_id, r.state]),
      rows.map((r) => [r.owner_user_id, 'linked']),
      'every session still linked after the right key came back',
    );
  });

  test('SECRET_KEY is not the key that sealed the sessions: exit 2 naming SECRET_KEY and the key file that fits; nothing changed', async (t) => {
    const s = sealedDb(t, 2, 'key-env-');
    const before = folderSnapshot(s.dir);
    const rows = sessionRows(s.dbPath);
    const wrong = randomBytes(32).toString('hex');
    const stderr = await refused(botEnv(s.dbPath, { SECRET_KEY: wrong }));
    assert.match(stderr, /SECRET_KEY \(key id [0-9a-f]{16}\) is not the key that sealed the stored Blink sessions/);
    assert.match(stderr, /unset SECRET_KEY to use it/);
    assert.equal(stderr.includes(wrong), false, 'the key itself is never printed');
    assert.deepEqual(folderSnapshot(s.dir), before);
    assert.deepEqual(sessionRows(s.dbPath), rows);
  });

  test('a key file that is not the sealing key: exit 2 naming the file; an interrupted rotate-key is named with its temp key', async (t) => {
    const s = sealedDb(t, 2, 'key-file-');
    writeFileSync(s.keyPath, `${randomBytes(32).toString('hex')}\n`, {
      mode: 0o600,
    });
    const before = folderSnapshot(s.dir);
    const stderr = await refused(botEnv(s.dbPath));
    assert.match(stderr, /secret\.key \(key id [0-9a-f]{16}\) is not the key that sealed/);
    assert.match(stderr, /Restore the secret\.key that belongs to this database/);
    assert.deepEqual(folderSnapshot(s.dir), before);

    // rotate-key committed, then died before renaming its temp key into place.
    const temp = `${s.keyPath}.4242.abcd1234.tmp`;
    writeFileSync(temp, `${s.key.toString('hex')}\n`, { mode: 0o600 });
    const stranded = await refused(botEnv(s.dbPath));
    assert.match(stranded, /An interrupted rotate-key left the key that sealed them in .*4242\.abcd1234\.tmp: move it to .*secret\.key/);
  });
});

test('at run time a row sealed with another key is kept, not cleared; a row corrupt under the right key is cleared', (t) => {
  const s = sealedDb(t, 2, 'key-runtime-');
  const db = openDatabase({ path: s.dbPath });
  t.after(() => db.close());
  const repos = createRepositories(db);
  const [foreignOwner, corruptOwner] = s.owners as [string, string];
  const foreign = createSealer(randomBytes(32)).seal('{"accountId":"0"}', foreignOwner);
  db.prepare('UPDATE blink_sessions SET sealed_tokens = ? WHERE owner_user_id = ?').run(foreign, foreignOwner);
  const corrupt = Buffer.from(repos.sessions.getByOwner(corruptOwner)?.sealedTokens ?? Buffer.alloc(0));
  corrupt[corrupt.length - 1] = (corrupt[corrupt.length - 1] ?? 0) ^ 1;
  db.prepare('UPDATE blink_sessions SET sealed_tokens = ? WHERE owner_user_id = ?').run(corrupt, corruptOwner);

  const log = createLogger({ level: 'silent' });
  const blink = createBlinkService({
    urls: { oauth: 'http://127.0.0.1:9', restTemplate: 'http://127.0.0.1:9' },
    clock: systemClock,
    log,
  });
  t.after(() => blink.close());
  const sessions = createSessionManager({
    repos,
    sealer: createSealer(s.key),
    blink,
    clock: systemClock,
    log,
  });
  const byOwner = (owner: string) => repos.sessions.getByOwner(owner) ?? assert.fail(owner);

  assert.throws(
    () => sessions.accountForSession(byOwner(foreignOwner)),
    (e: unknown) => e instanceof SealError && e.wrongKey,
  );
  assert.equal(byOwner(foreignOwner).state, 'linked');
  assert.deepEqual(byOwner(foreignOwner).sealedTokens, foreign, 'kept byte for byte');

  assert.throws(
    () => sessions.accountForSession(byOwner(corruptOwner)),
    (e: unknown) => e instanceof SealError && !e.wrongKey,
  );
  assert.equal(byOwner(corruptOwner).state, 'needs-login');
  assert.equal(readKey(s.keyPath).equals(s.key), true);
});
