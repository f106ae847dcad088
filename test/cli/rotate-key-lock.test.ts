/**
 * rotate-key and the database lock (docs/security.md): a running bot holds the lock from
 * start to exit, and rotate-key refuses while it does (a bot left running would keep
 * sealing refreshed tokens with the old key, which rotate-key then removes from disk). A
 * lock left by a killed bot blocks nothing. Real processes, as an operator runs them.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { createApp } from '../../src/app/create-app.js';
import { loadConfig } from '../../src/config/index.js';
import { DatabaseLockedError } from '../../src/errors.js';
import { createLogger } from '../../src/log.js';
import { createSealer } from '../../src/secrets/index.js';
import { readKey, sealedDb, sessionRows } from '../helpers/sealed-db.js';
import { waitForReady } from '../soak/crash-run.js';
import { offlineBotEnv, spawnEntry } from '../helpers/spawn-entry.js';

const env = (dbPath: string) => offlineBotEnv(dbPath);
const spawnNode = spawnEntry;

const rotate = async (childEnv: Record<string, string>, newKey: Buffer) => {
  const run = spawnNode(['src/cli/main.ts', 'rotate-key', '--new-key', newKey.toString('hex')], childEnv);
  return { code: await run.exited, output: run.output() };
};

test('rotate-key refuses while the bot runs and changes nothing; after the bot stops, and after a killed bot, it re-seals', async (t) => {
  const s = sealedDb(t, 3, 'rotate-lock-');
  const e = env(s.dbPath);
  const bot = spawnNode(['src/main.ts'], e);
  t.after(() => bot.child.kill('SIGKILL'));
  await waitForReady(bot.child, 'bot');
  const rows = sessionRows(s.dbPath);

  const refused = await rotate(e, randomBytes(32));
  assert.equal(refused.code, 1, refused.output);
  assert.match(refused.output, /a blink-bot process is running with .*bot\.sqlite; stop it first/);
  assert.equal(refused.output.trim().split('\n').length, 1, refused.output);
  assert.deepEqual(readKey(s.keyPath), s.key, 'key file unchanged');
  assert.deepEqual(sessionRows(s.dbPath), rows, 'no row re-sealed');

  bot.child.kill('SIGTERM');
  assert.equal(await bot.exited, 0, bot.output());
  const second = randomBytes(32);
  const done = await rotate(e, second);
  assert.equal(done.code, 0, done.output);
  assert.deepEqual(readKey(s.keyPath), second);
  for (const row of sessionRows(s.dbPath)) assert.doesNotThrow(() => createSealer(second).open(row.sealed_tokens ?? Buffer.alloc(0), row.owner_user_id));

  // A bot killed outright leaves its lock file; the OS released the lock itself.
  const killed = spawnNode(['src/main.ts'], e);
  await waitForReady(killed.child, 'bot again');
  killed.child.kill('SIGKILL');
  await killed.exited;
  assert.ok(existsSync(`${s.dbPath}.lock`));
  const third = randomBytes(32);
  const after = await rotate(e, third);
  assert.equal(after.code, 0, after.output);
  assert.deepEqual(readKey(s.keyPath), third);
});

test('a second bot on the same database is refused while the first runs, and starts once it closed', async (t) => {
  const s = sealedDb(t, 1, 'second-bot-');
  const config = loadConfig(env(s.dbPath));
  const log = createLogger({ level: 'silent' });
  const first = await createApp({ config, log });
  let closed = false;
  t.after(async () => {
    if (!closed) await first.close();
  });
  await assert.rejects(
    () => createApp({ config, log, lockWaitMs: 0 }),
    (e: unknown) => e instanceof DatabaseLockedError && /another blink-bot/.test(e.message),
  );
  await first.close();
  closed = true;
  const again = await createApp({ config, log, lockWaitMs: 0 });
  await again.close();
});
