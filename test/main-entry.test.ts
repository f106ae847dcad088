import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { spawnEntry, type SpawnEntryOptions } from './helpers/spawn-entry.js';
import { tempDir } from './helpers/temp-dir.js';

/** Only what a child needs: PATH for node, plus the variables under test. */
function run(env: Record<string, string>, onStdout?: SpawnEntryOptions['onStdout'], preload: string[] = []) {
  return spawnEntry([...preload.flatMap((p) => ['--import', p]), 'src/main.ts'], env, onStdout ? { onStdout } : {}).finished;
}

test('nothing configured: exit 2 with one line naming TELEGRAM_BOT_TOKEN and DISCORD_TOKEN', async () => {
  const { code, stderr } = await run({});
  assert.equal(code, 2);
  assert.match(stderr, /TELEGRAM_BOT_TOKEN/);
  assert.match(stderr, /DISCORD_TOKEN/);
  assert.doesNotMatch(stderr, /at .*\.ts/, 'no stack trace');
});

test('several bad variables: exit 2, one line per problem, each naming its variable, no secret echoed', async () => {
  const secret = 'not-a-key-but-a-secret';
  const { code, stderr } = await run({
    TELEGRAM_BOT_TOKEN: '1:x',
    ALLOWED_CHATS: 'xx:1',
    POLL_INTERVAL_SECONDS: '10',
    SECRET_KEY: secret,
    TZ: 'Nowhere/City',
    HTTP_PORT: '99999',
    RETENTION_DAYS: 'forever',
    DISCORD_TOKEN: 'd',
  });
  assert.equal(code, 2);
  const lines = stderr.trim().split('\n');
  for (const name of ['ALLOWED_CHATS', 'POLL_INTERVAL_SECONDS', 'SECRET_KEY', 'TZ', 'HTTP_PORT', 'RETENTION_DAYS', 'DISCORD_APPLICATION_ID']) {
    assert.equal(lines.filter((l) => l.startsWith(`${name}:`)).length, 1, `${name} in:\n${stderr}`);
  }
  assert.equal(lines.length, 7);
  assert.equal(stderr.includes(secret), false);
});

test('started with a dummy Telegram token, main logs ready and exits 0 on SIGTERM', async (t) => {
  const dir = tempDir(t, 'blink-main-');
  const databasePath = path.join(dir, 'data', 'bot.sqlite');
  let signalled = false;
  const result = await run(
    // An unroutable API root: main must not call Telegram yet, and if it tried, nothing answers.
    { TELEGRAM_BOT_TOKEN: '123:dummy', TELEGRAM_API_ROOT: 'http://127.0.0.1:9', DATABASE_PATH: databasePath, ALLOWED_CHATS: 'tg:-1' },
    (stdout, child) => {
      if (!signalled && stdout.includes('"msg":"ready"')) {
        signalled = true;
        child.kill('SIGTERM');
      }
    },
  );
  assert.equal(result.code, 0, result.stderr);
  assert.ok(signalled);
  assert.ok(existsSync(databasePath));
  assert.ok(existsSync(path.join(dir, 'data', 'secret.key')));
  assert.equal(result.stdout.includes('123:dummy'), false);
});

test('an unhandled rejection after start is logged and the bot keeps running (exit 0 on SIGTERM later)', async (t) => {
  const dir = tempDir(t, 'blink-main-');
  let signalled = false;
  const result = await run(
    { TELEGRAM_BOT_TOKEN: '123:dummy', TELEGRAM_API_ROOT: 'http://127.0.0.1:9', DATABASE_PATH: path.join(dir, 'bot.sqlite') },
    (stdout, child) => {
      if (!signalled && stdout.includes('unhandled rejection')) {
        signalled = true;
        // Real time on purpose (short): a bot the rejection brings down exits within this pause.
        setTimeout(() => child.kill('SIGTERM'), 300);
      }
    },
    ['./test/fixtures/reject-after-ready.mjs'],
  );
  assert.ok(signalled, `the rejection was logged:\n${result.stdout.slice(-2000)}\n${result.stderr}`);
  assert.match(result.stdout, /forgotten rejection/);
  assert.equal(result.code, 0, result.stderr);
});
