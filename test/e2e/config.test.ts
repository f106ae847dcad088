/**
 * The chat contract (docs/chat-contract.md) §1-§2, black box: bad configuration stops `node src/main.ts` with exit code 2
 * and one line per problem naming the variable; secrets are never echoed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { tempDir } from '../helpers/temp-dir.js';
import { spawnBot } from './harness.js';

const BOT_TOKEN = '123456:AAsecret-bot-token-value-0123456789abc';
const SECRET_KEY_BAD = 'not-a-key-but-secret-looking-0123456789';

interface Case {
  name: string;
  env: Record<string, string>;
  /** Variables each expected to name one stderr line. */
  variables: string[];
}

test('§2 bad configuration: exit 2, one line per problem naming the variable, no secret echoed', async (t) => {
  const dir = tempDir(t);
  const base = { DATABASE_PATH: path.join(dir, 'db.sqlite'), TELEGRAM_BOT_TOKEN: BOT_TOKEN, TELEGRAM_API_ROOT: 'http://127.0.0.1:9' };
  const cases: Case[] = [
    {
      name: 'no front end, poll interval below 30',
      env: { DATABASE_PATH: base.DATABASE_PATH, POLL_INTERVAL_SECONDS: '29' },
      variables: ['TELEGRAM_BOT_TOKEN', 'POLL_INTERVAL_SECONDS'],
    },
    {
      name: 'several problems at once',
      env: {
        ...base,
        DISCORD_TOKEN: 'dc-secret-token-value',
        TELEGRAM_UPLOAD_LIMIT_MB: '5000',
        ALLOWED_CHATS: 'tg:1,xx:2',
        ADMIN_USERS: 'nobody',
        TZ: 'Mars/Olympus',
        HTTP_PORT: '70000',
        LOG_LEVEL: 'loud',
        BLINK_OAUTH_URL: 'ftp://x',
        BLINK_REST_URL: 'not a url',
        SECRET_KEY: SECRET_KEY_BAD,
      },
      variables: [
        'DISCORD_APPLICATION_ID',
        'TELEGRAM_UPLOAD_LIMIT_MB',
        'ALLOWED_CHATS',
        'ADMIN_USERS',
        'TZ',
        'HTTP_PORT',
        'LOG_LEVEL',
        'BLINK_OAUTH_URL',
        'BLINK_REST_URL',
        'SECRET_KEY',
      ],
    },
  ];
  // Each spawn pays tsx's start-up; run them side by side.
  const results = await Promise.all(
    cases.map(async (c) => {
      const bot = spawnBot(t, { ...c.env, LOG_LEVEL: c.env['LOG_LEVEL'] ?? 'debug' });
      const code = await Promise.race([bot.exited, new Promise<number>((r) => setTimeout(() => r(-1), 20_000).unref())]);
      return { c, code, stderr: bot.stderr(), stdout: bot.stdout() };
    }),
  );
  for (const { c, code, stderr, stdout } of results) {
    assert.equal(code, 2, `${c.name}: exit code\nstderr:\n${stderr}`);
    const lines = stderr.split('\n').filter((l) => l.trim() !== '');
    for (const v of c.variables) {
      assert.equal(lines.filter((l) => l.includes(v)).length, 1, `${c.name}: exactly one line names ${v}\nstderr:\n${stderr}`);
    }
    assert.equal(lines.length, c.variables.length, `${c.name}: one line per problem\nstderr:\n${stderr}`);
    const all = stderr + stdout;
    for (const secret of [BOT_TOKEN, 'AAsecret-bot-token', SECRET_KEY_BAD, 'dc-secret-token-value']) {
      assert.ok(!all.includes(secret), `${c.name}: a secret was echoed`);
    }
  }
});
