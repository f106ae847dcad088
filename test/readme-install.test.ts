/**
 * The README's systemd install block ("Run it for good", marked `<!-- tested: install -->`),
 * run as written in the sandbox of test/helpers/readme-sandbox.ts (`/opt/blink-bot` and
 * `/etc/systemd/system` are temp folders; `sudo`, `systemctl` and `npm ci` are its
 * stand-ins). `<this repository's URL>` becomes the sandbox's local origin of HEAD; `npm run
 * build` is the real one. This file adds stand-ins for what a test cannot do to the machine,
 * each recording its arguments in `machine.log`:
 * - `curl` prints a harmless script in place of NodeSource's setup script (nothing is
 *   downloaded; `bash` runs it);
 * - `apt-get`, `useradd` and `chown` change nothing (no packages, users or owners);
 * - `install` is the real install without `-o USER` and `-g GROUP`;
 * - `nano FILE` writes the `.env` the README describes: a Telegram token with an
 *   unreachable Bot API on 127.0.0.1, ADMIN_USERS, ALLOWED_CHATS, and BLINK_* pointing at
 *   the Blink simulator this test starts;
 * - `journalctl -u blink-bot -f` prints what the bot logged and exits instead of following.
 * What a user would see is checked: the unit file is in the systemd folder, `.env` is mode
 * 640 and `data/` 700, the bot runs from the installed folder with the `.env`'s settings
 * (it logged "ready" with Telegram on, its database and key are in the installed `data/`),
 * and it stops cleanly (exit status 0 after SIGTERM).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { startBlinkSimulator } from '../src/simulator/index.js';
import { createReadmeSandbox, readmeBlock, ROOT } from './helpers/readme-sandbox.js';

const REPO_URL_PLACEHOLDER = "<this repository's URL>";

test('README install on a Linux box with systemd works as written', { timeout: 120_000 }, async (t) => {
  const sim = await startBlinkSimulator({ httpControl: false });
  t.after(() => sim.close());
  const box = await createReadmeSandbox(t, sim);
  const { tmp, app } = box;

  const machineLog = path.join(tmp, 'machine.log');
  const record = (name: string): string => `#!/bin/sh\necho "${name} $*" >> '${machineLog}'\n`;
  const realInstall = spawnSync('sh', ['-c', 'command -v install'], { encoding: 'utf8' }).stdout.trim();
  assert.ok(realInstall !== '', 'install is on PATH');
  const dotEnv = path.join(tmp, 'dot-env');
  writeFileSync(
    dotEnv,
    [
      'TELEGRAM_BOT_TOKEN=123:readme-install',
      'TELEGRAM_API_ROOT=http://127.0.0.1:9',
      'ADMIN_USERS=tg:123456789',
      'ALLOWED_CHATS=tg:123456789',
      `BLINK_REST_URL=${sim.restUrlTemplate}`,
      `BLINK_OAUTH_URL=${sim.oauthUrl}`,
      '',
    ].join('\n'),
  );
  box.standIn('curl', `${record('curl')}echo 'echo "NodeSource setup (stand-in): nothing changed"'\n`);
  for (const name of ['apt-get', 'useradd', 'chown']) box.standIn(name, record(name));
  box.standIn(
    'install',
    `${record('install')}for a; do shift\n  if [ -n "$skip" ]; then skip=; continue; fi\n  case "$a" in -o|-g) skip=1 ;; *) set -- "$@" "$a" ;; esac\ndone\nexec '${realInstall}' "$@"\n`,
  );
  box.standIn('nano', `${record('nano')}cp '${dotEnv}' "$1"\n`);
  box.standIn('journalctl', `${record('journalctl')}[ "$1 $2" = "-u blink-bot" ] || exit 1\ncat '${box.logFile}'\n`);

  const block = readmeBlock('install', box);
  assert.ok(block.includes(REPO_URL_PLACEHOLDER), `the README clones ${REPO_URL_PLACEHOLDER}`);
  const journal = await box.sh(block.replaceAll(REPO_URL_PLACEHOLDER, box.origin));

  // The service is installed and running from the installed folder.
  const unit = path.join(box.systemdDir, 'blink-bot.service');
  assert.ok(existsSync(unit), 'the unit file is in the systemd folder');
  assert.equal(readFileSync(unit, 'utf8'), readFileSync(path.join(ROOT, 'deploy', 'blink-bot.service'), 'utf8'));
  assert.deepEqual(readFileSync(box.systemctlLog, 'utf8').trim().split('\n'), ['daemon-reload', 'enable --now blink-bot']);
  assert.equal(statSync(path.join(app, '.env')).mode & 0o777, 0o640, '.env is mode 640');
  assert.equal(statSync(path.join(app, 'data')).mode & 0o777, 0o700, 'data/ is mode 700');
  assert.ok(existsSync(path.join(app, 'dist', 'src', 'main.js')), 'the build ran');
  assert.ok(existsSync(box.pidFile), 'the bot is running');
  const pid = Number(readFileSync(box.pidFile, 'utf8'));
  assert.doesNotThrow(() => process.kill(pid, 0), 'the bot is running');
  for (const file of ['blink-bot.sqlite', 'secret.key']) assert.ok(existsSync(path.join(app, 'data', file)), `data/${file} is in the installed folder`);

  // What journalctl showed: the bot started with the .env's Telegram settings.
  assert.match(journal, /"frontEnds":\["telegram"\][^\n]*"msg":"ready"/, `journalctl shows the bot ready with Telegram:\n${journal}`);

  // The privileged steps reached the machine (recorded by the stand-ins).
  const machine = readFileSync(machineLog, 'utf8');
  for (const line of [
    'curl -fsSL https://deb.nodesource.com/setup_22.x',
    'apt-get install -y nodejs git python3 make g++',
    'useradd --system --no-create-home --shell /usr/sbin/nologin blink-bot',
    'install -d -o blink-bot -g blink-bot -m 700 data',
    'chown root:blink-bot .env',
    'journalctl -u blink-bot -f',
  ]) {
    assert.ok(machine.includes(`${line}\n`), `ran "${line}"; the machine saw:\n${machine}`);
  }

  // It stops cleanly, as `systemctl stop` would.
  await box.sh('sudo systemctl stop blink-bot');
  assert.equal(readFileSync(box.exitFile, 'utf8').trim(), '0', `the bot exits 0 on SIGTERM:\n${readFileSync(box.logFile, 'utf8').slice(-2000)}`);
  assert.match(readFileSync(box.logFile, 'utf8'), /"reason":"SIGTERM","msg":"stopping"/);
});
