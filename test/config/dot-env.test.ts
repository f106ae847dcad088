/**
 * `npm start` reads `.env` from the working folder; variables already in the environment
 * win. The real entry is spawned in a folder holding only a `.env`.
 */
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { withDotEnv } from '../../src/config/index.js';
import { spawnEntry } from '../helpers/spawn-entry.js';
import { tempDir } from '../helpers/temp-dir.js';
import { waitForReady } from '../soak/crash-run.js';

const main = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

const startIn = (cwd: string, env: Record<string, string>) => spawnEntry([main], env, { cwd });

test('withDotEnv: file values under the environment, comments, quotes and export understood, a missing file is fine', (t) => {
  const dir = tempDir(t, 'dot-env-');
  assert.deepEqual(withDotEnv({ A: '1' }, dir), { A: '1' });
  writeFileSync(path.join(dir, '.env'), '# comment\nTELEGRAM_BOT_TOKEN=123:abc-DEF_ghi\nexport LOG_LEVEL=debug\nTZ="Europe/Berlin"\nA=from-file\n');
  assert.deepEqual(withDotEnv({ A: 'from-env', B: undefined }, dir), {
    TELEGRAM_BOT_TOKEN: '123:abc-DEF_ghi',
    LOG_LEVEL: 'debug',
    TZ: 'Europe/Berlin',
    A: 'from-env',
  });
});

test('npm start: the front end configured only in .env starts; a variable set in the environment wins over the file', async (t) => {
  const dir = tempDir(t, 'dot-env-start-');
  const dbPath = path.join(dir, 'data', 'bot.sqlite');
  writeFileSync(
    path.join(dir, '.env'),
    [
      'TELEGRAM_BOT_TOKEN=123:dummy',
      'TELEGRAM_API_ROOT=http://127.0.0.1:9',
      'BLINK_REST_URL=http://127.0.0.1:9/rest-{tier}',
      'BLINK_OAUTH_URL=http://127.0.0.1:9',
      `DATABASE_PATH=${dbPath}`,
      // Refused if it were used (below 30 s): the environment's value must win.
      'POLL_INTERVAL_SECONDS=5',
      '',
    ].join('\n'),
  );
  const bot = startIn(dir, { POLL_INTERVAL_SECONDS: '60' });
  await waitForReady(bot.child, 'bot started from .env');
  bot.child.kill('SIGTERM');
  assert.equal(await bot.exited, 0, bot.stderr());
  assert.ok(existsSync(dbPath), 'DATABASE_PATH came from .env');
});

test('no front end anywhere: exit 2, and the line names .env, the set-up sections and npm run demo', async (t) => {
  const dir = tempDir(t, 'dot-env-none-');
  const bot = startIn(dir, {});
  assert.equal(await bot.exited, 2, bot.stderr());
  const line = bot.stderr();
  assert.match(line, /TELEGRAM_BOT_TOKEN/);
  assert.match(line, /DISCORD_TOKEN/);
  assert.match(line, /\.env/);
  assert.match(line, /Set up Telegram/);
  assert.match(line, /Set up Discord/);
  assert.match(line, /npm run demo/);
});
