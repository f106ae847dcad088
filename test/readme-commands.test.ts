/**
 * The README's "Back up, restore, upgrade" sequences, run as written, so the README and the
 * code cannot drift apart. The blocks run in a sandbox (test/helpers/readme-sandbox.ts: the
 * README's folders in a temp folder, stand-ins on PATH for sudo, systemctl and npm ci)
 * against a throw-away install: a checkout of this repository's HEAD (cloned from a local
 * origin, compiled), logged in to the Blink simulator on 127.0.0.1 through the compiled CLI,
 * its unit file in the systemd folder as the install section leaves it.
 * The bot runs (with a Telegram token and an unreachable Bot API: it only polls Blink)
 * whenever the README says it does, so the backup is taken beside a running bot and the
 * restored or upgraded database must let it start again. The outcome is checked by what a
 * user would see: a backup that opens with the key, a restore that brings a logged-out
 * session back, an upgrade that pulls and builds the new commit.
 * The install section itself is run by test/readme-install.test.ts.
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { startBlinkSimulator } from '../src/simulator/index.js';
import { createReadmeSandbox, INSTALL_DIR, ok, type Ran, ROOT, readmeBlock, run, testedBlocks } from './helpers/readme-sandbox.js';

test('README: the marked blocks exist and use the documented install folder', () => {
  const blocks = testedBlocks(readFileSync(path.join(ROOT, 'README.md'), 'utf8'));
  assert.deepEqual([...blocks.keys()].sort(), ['backup', 'install', 'restore', 'upgrade']);
  for (const [name, code] of blocks) assert.match(code, /^cd \/opt\/blink-bot$/m, `${name} starts in ${INSTALL_DIR}`);
});

test('README back up, restore and upgrade sequences work as written', { timeout: 180_000 }, async (t) => {
  const sim = await startBlinkSimulator({ httpControl: false });
  t.after(() => sim.close());
  sim.setTwoFactor('owner@example.com', 'none');
  const box = await createReadmeSandbox(t, sim);
  const { tmp, app, seed, origin, env, sh, systemctlLog } = box;

  // The install: the published release 1, cloned and compiled, its unit file installed.
  await sh(`git clone -q '${origin}' '${app}'`);
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(app, 'node_modules'));
  copyFileSync(path.join(app, 'deploy', 'blink-bot.service'), path.join(box.systemdDir, 'blink-bot.service'));
  // Release 1 is compiled without the type check (fast); the upgrade runs the real `npm run build`.
  await sh(`'${process.execPath}' node_modules/typescript/bin/tsc -p tsconfig.build.json --noCheck`, app);
  const cli = (args: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<Ran> =>
    run('node', ['dist/src/cli/main.js', ...args.split(' ')], { cwd: app, env: { ...env, ...extraEnv } });
  writeFileSync(path.join(tmp, 'creds.json'), JSON.stringify({ email: 'owner@example.com', password: 'correct-horse-battery-staple' }));
  ok(await cli(`login --credentials ${path.join(tmp, 'creds.json')}`), 'login');
  assert.match(ok(await cli('status'), 'status after login'), /Front Door/);
  const key = readFileSync(path.join(app, 'data', 'secret.key'), 'utf8').trim();

  // The running service, as the install section leaves it: settings in .env (systemd passes
  // the service nothing else), a Telegram token whose Bot API cannot be reached.
  writeFileSync(
    path.join(app, '.env'),
    [
      'TELEGRAM_BOT_TOKEN=123:readme-test',
      'TELEGRAM_API_ROOT=http://127.0.0.1:9',
      `BLINK_REST_URL=${sim.restUrlTemplate}`,
      `BLINK_OAUTH_URL=${sim.oauthUrl}`,
      'LOG_LEVEL=info',
      'TZ=UTC',
      '',
    ].join('\n'),
  );
  await sh('systemctl start blink-bot');

  const inApp = (name: string): string => readmeBlock(name, box);
  const backups = (): string[] =>
    readdirSync(path.join(app, 'data', 'backups'))
      .filter((f) => f.endsWith('.sqlite'))
      .sort();

  await t.test('back up: a consistent copy that opens with the key', async () => {
    await sh(inApp('backup'));
    const [file] = backups();
    assert.ok(file !== undefined && /^blink-bot-\d{8}-\d{6}\.sqlite$/.test(file), `one dated backup, got ${backups().join(', ')}`);
    // Checked on a copy, with the key from data/ given as SECRET_KEY: the session is in it.
    await sh(`cp 'data/backups/${file}' '${path.join(tmp, 'check.sqlite')}'`, app);
    const status = await cli('status', { DATABASE_PATH: path.join(tmp, 'check.sqlite'), SECRET_KEY: key });
    assert.match(ok(status, 'status on the backup'), /Front Door/);
  });

  await t.test('restore: the newest backup brings a logged-out session back', async () => {
    ok(await cli('logout'), 'logout');
    assert.notEqual((await cli('status')).status, 0, 'no session after logout');
    // The bot dies hard (power cut): its WAL file, holding the logout, stays behind and must
    // not be applied to the restored database.
    process.kill(Number(readFileSync(box.pidFile, 'utf8')), 'SIGKILL');
    assert.ok(existsSync(path.join(app, 'data', 'blink-bot.sqlite-wal')), 'a stale WAL file is left');
    writeFileSync(systemctlLog, '');
    await sh(inApp('restore'));
    assert.deepEqual(readFileSync(systemctlLog, 'utf8').trim().split('\n'), ['stop blink-bot', 'start blink-bot']);
    assert.match(ok(await cli('status'), 'status after the restore'), /Front Door/);
  });

  await t.test('upgrade: backup first, then the new release is pulled and built', async () => {
    // Release 2 adds a module; its compiled file proves the pull and the build both ran.
    mkdirSync(path.join(seed, 'src'), { recursive: true });
    writeFileSync(path.join(seed, 'src', 'readme-upgrade-marker.ts'), 'export const release = 2;\n');
    await sh(`git add -A && git commit -q -m "release 2" && git push -q '${origin}' main`, seed);
    writeFileSync(systemctlLog, '');
    await sh(inApp('upgrade'));
    assert.ok(
      backups().some((f) => /^before-upgrade-\d{8}-\d{6}\.sqlite$/.test(f)),
      `a before-upgrade backup, got ${backups().join(', ')}`,
    );
    assert.equal((await sh('git rev-parse HEAD', app)).trim(), (await sh('git rev-parse HEAD', seed)).trim(), 'the checkout is at release 2');
    assert.ok(existsSync(path.join(app, 'dist', 'src', 'readme-upgrade-marker.js')), 'release 2 was built');
    assert.deepEqual(readFileSync(systemctlLog, 'utf8').trim().split('\n'), ['stop blink-bot', 'start blink-bot']);
    assert.match(ok(await cli('status'), 'status after the upgrade'), /Front Door/);
  });
});
