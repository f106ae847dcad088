/**
 * The README's "Back up, restore, upgrade" sequences, run as written, so the README and the
 * code cannot drift apart. Each block marked `<!-- tested: NAME -->` is taken from README.md
 * and run with bash (`-e -o pipefail`) against a throw-away install:
 * - `/opt/blink-bot` in the block is replaced by a temp checkout of this repository's HEAD
 *   (cloned from a local origin, built with the real `npm run build`), logged in to the
 *   Blink simulator on 127.0.0.1 through the compiled CLI;
 * - stand-ins on PATH replace what a test cannot do on a real system: `sudo` runs the
 *   command as the current user (dropping `-u USER`); `systemctl start|stop blink-bot`
 *   runs and stops the bot as `deploy/blink-bot.service` says (its ExecStart in its
 *   WorkingDirectory with its EnvironmentFile, node being the one running this test) and
 *   waits for it to log "ready" or to exit; `npm ci` links this repository's node_modules
 *   (installing needs the registry). Every other `npm` command is the real npm.
 * The bot runs (with a Telegram token and an unreachable Bot API: it only polls Blink)
 * whenever the README says it does, so the backup is taken beside a running bot and the
 * restored or upgraded database must let it start again. The outcome is checked by what a
 * user would see: a backup that opens with the key, a restore that brings a logged-out
 * session back, an upgrade that pulls and builds the new commit.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startBlinkSimulator } from '../src/simulator/index.js';
import { tempDir } from './helpers/temp-dir.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const INSTALL_DIR = '/opt/blink-bot';

/** The code of every block marked `<!-- tested: NAME -->` right above a ```sh fence. */
export function testedBlocks(readme: string): Map<string, string> {
  const blocks = new Map<string, string>();
  for (const m of readme.matchAll(/<!-- tested: ([a-z-]+) -->\s*\n```sh\n([\s\S]*?)\n```/g)) {
    const [, name = '', code = ''] = m;
    assert.ok(!blocks.has(name), `README marks two blocks "${name}"`);
    blocks.set(name, code);
  }
  return blocks;
}

interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a process without blocking the event loop (the simulator answers from this one). */
function run(cmd: string, args: readonly string[], opts: { cwd: string; env: NodeJS.ProcessEnv }): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}

function ok(result: Ran, what: string): string {
  assert.equal(result.status, 0, `${what} failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/** Stops a bot the test left running (SIGTERM, then SIGKILL after 20 s). */
async function stopBot(pidFile: string): Promise<void> {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8'));
  const alive = (): boolean => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (alive()) process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 400 && alive(); i++) await new Promise((r) => setTimeout(r, 50));
  if (alive()) process.kill(pid, 'SIGKILL');
}

/**
 * Source of the `systemctl` stand-in: records its arguments; `start` runs the unit's
 * ExecStart (with `/usr/bin/node` → this test's node, `/opt/blink-bot` → the temp install)
 * detached, and waits until the bot logs "ready" (exit 0) or dies (exit 1, like a failed
 * unit); `stop` sends SIGTERM and waits until the bot is gone.
 */
function systemctlStandIn(o: { log: string; app: string; pidFile: string; logFile: string }): string {
  return `
import { appendFileSync, existsSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
const [verb = '', unit = ''] = process.argv.slice(2);
appendFileSync(${JSON.stringify(o.log)}, \`\${verb} \${unit}\\n\`);
const app = ${JSON.stringify(o.app)};
const pidFile = ${JSON.stringify(o.pidFile)};
const logFile = ${JSON.stringify(o.logFile)};
const local = (v) => v.replaceAll(${JSON.stringify(INSTALL_DIR)}, app);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const alive = (pid) => { try { process.kill(pid, 0); return true; } catch { return false; } };
const unitText = readFileSync(app + '/deploy/blink-bot.service', 'utf8');
const field = (name) => (unitText.match(new RegExp('^' + name + '=(.*)$', 'm')) ?? [])[1];
async function stop() {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8'));
  rmSync(pidFile);
  if (alive(pid)) process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 400 && alive(pid); i++) await sleep(50);
  if (alive(pid)) { process.stderr.write('bot did not stop within 20 s\\n'); process.exit(1); }
}
async function start() {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME };
  const envFile = local(field('EnvironmentFile') ?? '');
  for (const line of existsSync(envFile) ? readFileSync(envFile, 'utf8').split('\\n') : []) {
    const m = line.match(/^([A-Z_][A-Z0-9_]*)=(.*)$/);
    if (m) env[m[1]] = m[2];
  }
  for (const m of unitText.matchAll(/^Environment=([A-Z_]+)=(.*)$/gm)) env[m[1]] = m[2];
  const [cmd, ...args] = local(field('ExecStart')).split(' ');
  const out = openSync(logFile, 'a');
  const child = spawn(cmd === '/usr/bin/node' ? process.execPath : cmd, args, { cwd: local(field('WorkingDirectory')), env, detached: true, stdio: ['ignore', out, out] });
  writeFileSync(pidFile, String(child.pid));
  let exited = false;
  child.once('exit', () => (exited = true));
  const from = existsSync(logFile) ? readFileSync(logFile, 'utf8').length : 0;
  for (let i = 0; i < 600; i++) {
    await sleep(50);
    if (readFileSync(logFile, 'utf8').slice(from).includes('"msg":"ready"')) { child.unref(); process.exit(0); }
    if (exited) break;
  }
  process.stderr.write('blink-bot did not start:\\n' + readFileSync(logFile, 'utf8').slice(from).slice(-3000) + '\\n');
  rmSync(pidFile, { force: true });
  if (!exited) process.kill(child.pid, 'SIGKILL');
  process.exit(1);
}
if (verb === 'stop') await stop();
else if (verb === 'start') await start();
else if (verb === 'restart') { await stop(); await start(); }
`;
}

test('README: the marked blocks exist and use the documented install folder', () => {
  const blocks = testedBlocks(readFileSync(path.join(ROOT, 'README.md'), 'utf8'));
  assert.deepEqual([...blocks.keys()].sort(), ['backup', 'restore', 'upgrade']);
  for (const [name, code] of blocks) assert.match(code, /^cd \/opt\/blink-bot$/m, `${name} starts in ${INSTALL_DIR}`);
});

test('README back up, restore and upgrade sequences work as written', { timeout: 180_000 }, async (t) => {
  const blocks = testedBlocks(readFileSync(path.join(ROOT, 'README.md'), 'utf8'));
  let pidFile = '';
  // Registered before tempDir's removal (hooks run in order): the bot (if the test left it
  // running) stops, then the folder goes.
  t.after(() => stopBot(pidFile));
  const tmp = tempDir(t, 'blink-readme-');
  pidFile = path.join(tmp, 'bot.pid');
  const seed = path.join(tmp, 'seed');
  const origin = path.join(tmp, 'origin.git');
  const app = path.join(tmp, 'app');
  const bin = path.join(tmp, 'bin');
  const home = path.join(tmp, 'home');
  mkdirSync(seed);
  mkdirSync(bin);
  mkdirSync(home);

  const npmPath = spawnSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).stdout.trim();
  assert.ok(npmPath !== '', 'npm is on PATH');

  const sim = await startBlinkSimulator({ httpControl: false });
  t.after(() => sim.close());
  sim.setTwoFactor('owner@example.com', 'none');

  // A clean environment: defaults for everything but the Blink hosts (the simulator).
  const env: NodeJS.ProcessEnv = {
    PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`,
    HOME: home,
    TZ: 'UTC',
    LOG_LEVEL: 'warn',
    BLINK_REST_URL: sim.restUrlTemplate,
    BLINK_OAUTH_URL: sim.oauthUrl,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'readme test',
    GIT_AUTHOR_EMAIL: 'readme@example.invalid',
    GIT_COMMITTER_NAME: 'readme test',
    GIT_COMMITTER_EMAIL: 'readme@example.invalid',
    npm_config_cache: path.join(tmp, 'npm-cache'),
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
  };
  const sh = async (script: string, cwd = tmp): Promise<string> => ok(await run('bash', ['-e', '-o', 'pipefail', '-c', script], { cwd, env }), script.split('\n')[0] ?? script);

  // Stand-ins for what a test cannot do to the machine (see the header).
  const systemctlLog = path.join(tmp, 'systemctl.log');
  const standIns: Record<string, string> = {
    sudo: '#!/bin/sh\nif [ "$1" = "-u" ]; then shift 2; fi\nexec "$@"\n',
    systemctl: `#!/bin/sh\nexec '${process.execPath}' '${path.join(tmp, 'systemctl.mjs')}' "$@"\n`,
    npm: `#!/bin/sh\nif [ "$1" = "ci" ]; then rm -rf node_modules && ln -s '${path.join(ROOT, 'node_modules')}' node_modules && echo "npm ci: linked node_modules"; exit 0; fi\nexec '${npmPath}' "$@"\n`,
  };
  writeFileSync(path.join(tmp, 'systemctl.mjs'), systemctlStandIn({ log: systemctlLog, app, pidFile, logFile: path.join(tmp, 'bot.log') }));
  for (const [name, script] of Object.entries(standIns)) {
    writeFileSync(path.join(bin, name), script);
    chmodSync(path.join(bin, name), 0o755);
  }

  // The install: this repository's HEAD as the published origin, cloned and built.
  await sh(`git -C '${ROOT}' archive --format=tar HEAD | tar -x -C '${seed}'`);
  await sh('git init -q -b main . && git add -A && git commit -q -m "release 1"', seed);
  await sh(`git clone -q --bare '${seed}' '${origin}' && git clone -q '${origin}' '${app}'`);
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(app, 'node_modules'));
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

  const inApp = (name: string): string => {
    const code = blocks.get(name);
    assert.ok(code, `README has a "${name}" block`);
    return code.replaceAll(INSTALL_DIR, app);
  };
  const backups = (): string[] => readdirSync(path.join(app, 'data', 'backups')).filter((f) => f.endsWith('.sqlite')).sort();

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
    process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGKILL');
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
    assert.ok(backups().some((f) => /^before-upgrade-\d{8}-\d{6}\.sqlite$/.test(f)), `a before-upgrade backup, got ${backups().join(', ')}`);
    assert.equal((await sh('git rev-parse HEAD', app)).trim(), (await sh('git rev-parse HEAD', seed)).trim(), 'the checkout is at release 2');
    assert.ok(existsSync(path.join(app, 'dist', 'src', 'readme-upgrade-marker.js')), 'release 2 was built');
    assert.deepEqual(readFileSync(systemctlLog, 'utf8').trim().split('\n'), ['stop blink-bot', 'start blink-bot']);
    assert.match(ok(await cli('status'), 'status after the upgrade'), /Front Door/);
  });
});
