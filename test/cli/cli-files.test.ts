/**
 * What the CLI leaves on disk and prints: the database and its backups are created 0600;
 * a credentials file that cannot be used is named, its content never echoed.
 */
import assert from 'node:assert/strict';
import { statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { runCli } from '../../src/cli/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

async function run(argv: string[], env: Record<string, string>): Promise<{ code: number; output: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let output = '';
  stdout.on('data', (c: Buffer) => (output += c.toString()));
  stderr.on('data', (c: Buffer) => (output += c.toString()));
  const stdin = new PassThrough();
  stdin.end();
  const code = await runCli(argv, { stdin, stdout, stderr, env });
  return { code, output };
}

const mode = (file: string): string => (statSync(file).mode & 0o777).toString(8);

test('the database and a backup are created 0600 under the usual umask 022', async (t) => {
  const previous = process.umask(0o022);
  t.after(() => process.umask(previous));
  const dir = tempDir(t, 'cli-modes-');
  const env = { DATABASE_PATH: path.join(dir, 'data', 'bot.sqlite') };
  const file = path.join(dir, 'backup.sqlite');
  const r = await run(['backup', file], env);
  assert.equal(r.code, 0, r.output);
  assert.equal(mode(env.DATABASE_PATH), '600');
  assert.equal(mode(file), '600');
  assert.equal(mode(path.join(dir, 'data', 'secret.key')), '600');
});

test('a malformed or unusable credentials file is named, and no part of it is echoed', async (t) => {
  const dir = tempDir(t, 'cli-creds-');
  const env = { DATABASE_PATH: path.join(dir, 'bot.sqlite'), BLINK_REST_URL: 'http://127.0.0.1:9/{tier}', BLINK_OAUTH_URL: 'http://127.0.0.1:9' };
  const secret = 'hunter2-Sup3r"Secret';
  const cases = {
    truncated: `{"username": "owner@example.com", "password": "${secret}`,
    'bad escape': `{"username": "owner@example.com", "password": "${secret.replace('"', '\\q')}"}`,
    'wrong type': JSON.stringify({ username: 424242, password: secret }),
    'no username': JSON.stringify({ password: secret }),
  };
  for (const [name, content] of Object.entries(cases)) {
    const file = path.join(dir, `${name.replace(' ', '-')}.json`);
    writeFileSync(file, content);
    const r = await run(['login', '--credentials', file], env);
    assert.equal(r.code, 1, `${name}: ${r.output}`);
    assert.match(r.output, new RegExp(`credentials file ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`), name);
    for (const part of ['hunter2', 'Sup3r', 'Secret', 'owner@example', '424242']) {
      assert.equal(r.output.includes(part), false, `${name} echoed "${part}": ${r.output}`);
    }
  }
});
