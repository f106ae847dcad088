/** The demo's logs go to a file, never into the terminal chat; `--log` shows them on stderr. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { spawnDemo } from './helpers.js';
import { until } from '../helpers/until.js';

test('npm run demo: logs (with their stack traces) go to <output>/demo.log, not to the terminal', async (t) => {
  const demo = spawnDemo(t, [], {});
  await demo.expect(/Ctrl-C or Ctrl-D quits/, 20_000);
  const logFile = path.join(demo.outputDir, 'demo.log');
  assert.match(demo.stdout(), new RegExp(`Logs go to ${logFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  // A fresh data folder makes the app warn about the new token key: a log line at the demo's level.
  await until(() => existsSync(logFile) && /generated a new token key/.test(readFileSync(logFile, 'utf8')), 'the new-key line in demo.log');
  assert.equal(demo.stderr(), '', 'nothing on stderr');
  assert.doesNotMatch(demo.stdout(), /"level"|^\s+at /m);
});

test('npm run demo -- --log: the logs are on stderr instead', async (t) => {
  const demo = spawnDemo(t, ['--log'], {});
  await demo.expect(/Ctrl-C or Ctrl-D quits/, 20_000);
  assert.match(demo.stdout(), /Logs go to stderr/);
  assert.match(demo.stderr(), /generated a new token key/);
  assert.equal(existsSync(path.join(demo.outputDir, 'demo.log')), false);
});

test('npm run demo -- --telegram without a token exits 2 naming TELEGRAM_BOT_TOKEN', async (t) => {
  const demo = spawnDemo(t, ['--telegram'], {});
  assert.equal(await demo.exited, 2);
  assert.match(demo.stderr(), /^TELEGRAM_BOT_TOKEN: /m);
});
