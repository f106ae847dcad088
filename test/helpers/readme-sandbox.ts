/**
 * A throw-away machine for running the README's shell blocks as written (used by
 * test/readme-commands.test.ts and test/readme-install.test.ts). Each block marked
 * `<!-- tested: NAME -->` is taken from README.md and run with bash (`-e -o pipefail`);
 * `/opt/blink-bot` becomes `app` and `/etc/systemd/system` becomes `systemdDir`, both in a
 * temp folder. This repository's HEAD is published as a local git `origin` (a one-commit
 * repository made with `git archive`), so cloning and pulling need no network.
 * Stand-ins on PATH replace what a test cannot do on a real system:
 * - `sudo` runs the command as the current user (dropping `-E` and `-u USER`);
 * - `systemctl` records its arguments; `start`, `restart` and `enable --now` run the unit
 *   installed in `systemdDir` as systemd would (its ExecStart in its WorkingDirectory with
 *   its EnvironmentFile and nothing else, node being the one running this test) and wait for
 *   the bot to log "ready" or to exit; `stop` sends SIGTERM and waits until it is gone; the
 *   bot's exit status lands in `exitFile` (systemd's "status=…"), its output in `logFile`;
 *   `daemon-reload` and plain `enable` only record;
 * - `npm ci` links this repository's node_modules (installing needs the registry); every
 *   other `npm` command is the real npm.
 * A test adds its own stand-ins with `standIn`.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from './temp-dir.js';
import { until } from './until.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const INSTALL_DIR = '/opt/blink-bot';
const SYSTEMD_DIR = '/etc/systemd/system';

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

/** The README's block `name`, with the machine's folders replaced by the sandbox's. */
export function readmeBlock(name: string, box: { app: string; systemdDir: string }): string {
  const code = testedBlocks(readFileSync(path.join(ROOT, 'README.md'), 'utf8')).get(name);
  assert.ok(code, `README has a "${name}" block`);
  return code.replaceAll(INSTALL_DIR, box.app).replaceAll(SYSTEMD_DIR, box.systemdDir);
}

export interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a process without blocking the event loop (the simulator answers from this one). */
export function run(cmd: string, args: readonly string[], opts: { cwd: string; env: NodeJS.ProcessEnv }): Promise<Ran> {
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

export function ok(result: Ran, what: string): string {
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
  // Clean-up, not a check: a bot that outlives the grace period is killed, not a failure here.
  await until(() => !alive(), 'the bot to stop after SIGTERM', 20_000, 50).catch(() => undefined);
  if (alive()) process.kill(pid, 'SIGKILL');
}

/**
 * Source of the `systemctl` stand-in (see the header). The bot runs under a detached `sh`
 * that plays systemd's part of waiting for it: it writes the bot's pid to `pidFile` and,
 * when the bot ends, its exit status to `exitFile`.
 */
function systemctlStandIn(o: { log: string; app: string; systemdDir: string; pidFile: string; exitFile: string; logFile: string }): string {
  return `
import { appendFileSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import { spawn } from 'node:child_process';
const args = process.argv.slice(2);
appendFileSync(${JSON.stringify(o.log)}, args.join(' ') + '\\n');
const [verb = ''] = args;
const unit = args.filter((a) => !a.startsWith('-'))[1] ?? '';
const app = ${JSON.stringify(o.app)};
const pidFile = ${JSON.stringify(o.pidFile)};
const exitFile = ${JSON.stringify(o.exitFile)};
const logFile = ${JSON.stringify(o.logFile)};
const local = (v) => v.replaceAll(${JSON.stringify(INSTALL_DIR)}, app);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const alive = (pid) => { try { process.kill(pid, 0); return true; } catch { return false; } };
const exited = () => existsSync(exitFile) && readFileSync(exitFile, 'utf8').trim() !== '';
async function stop() {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8'));
  rmSync(pidFile);
  if (alive(pid)) process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 400 && !exited(); i++) await sleep(50);
  if (!exited()) { process.stderr.write('bot did not stop within 20 s\\n'); process.exit(1); }
}
async function start() {
  const unitFile = ${JSON.stringify(o.systemdDir)} + '/' + unit + '.service';
  if (!existsSync(unitFile)) { process.stderr.write('Unit ' + unit + '.service not found.\\n'); process.exit(5); }
  const unitText = readFileSync(unitFile, 'utf8');
  const field = (name) => (unitText.match(new RegExp('^' + name + '=(.*)$', 'm')) ?? [])[1];
  const env = { PATH: process.env.PATH, HOME: process.env.HOME };
  const envFile = local(field('EnvironmentFile') ?? '');
  for (const line of existsSync(envFile) ? readFileSync(envFile, 'utf8').split('\\n') : []) {
    const m = line.match(/^([A-Z_][A-Z0-9_]*)=(.*)$/);
    if (m) env[m[1]] = m[2];
  }
  for (const m of unitText.matchAll(/^Environment=([A-Z_]+)=(.*)$/gm)) env[m[1]] = m[2];
  const [cmd, ...cmdArgs] = local(field('ExecStart')).split(' ');
  rmSync(pidFile, { force: true });
  rmSync(exitFile, { force: true });
  const out = openSync(logFile, 'a');
  const from = existsSync(logFile) ? readFileSync(logFile, 'utf8').length : 0;
  const supervise = 'p=$1 x=$2; shift 2; "$@" & echo $! > "$p"; wait $!; echo $? > "$x"';
  const sh = spawn('sh', ['-c', supervise, 'sh', pidFile, exitFile, cmd === '/usr/bin/node' ? process.execPath : cmd, ...cmdArgs], { cwd: local(field('WorkingDirectory')), env, detached: true, stdio: ['ignore', out, out] });
  sh.unref();
  for (let i = 0; i < 600; i++) {
    await sleep(50);
    if (readFileSync(logFile, 'utf8').slice(from).includes('"msg":"ready"')) process.exit(0);
    if (exited()) break;
  }
  process.stderr.write('blink-bot did not start:\\n' + readFileSync(logFile, 'utf8').slice(from).slice(-3000) + '\\n');
  if (!exited() && existsSync(pidFile)) process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGKILL');
  rmSync(pidFile, { force: true });
  process.exit(1);
}
if (verb === 'stop') await stop();
else if (verb === 'start' || (verb === 'enable' && args.includes('--now'))) await start();
else if (verb === 'restart') { await stop(); await start(); }
else if (verb !== 'daemon-reload' && verb !== 'enable') { process.stderr.write('systemctl stand-in: unknown ' + verb + '\\n'); process.exit(1); }
`;
}

export interface ReadmeSandbox {
  tmp: string;
  /** Stands for /opt/blink-bot; not created (an install makes it, `cloneApp` clones it). */
  app: string;
  /** Stands for /etc/systemd/system (exists, empty). */
  systemdDir: string;
  /** A checkout of HEAD, committed as "release 1", pushed to `origin`. */
  seed: string;
  /** The published repository (a bare git repository). */
  origin: string;
  bin: string;
  /** The bot's pid while it runs under the systemctl stand-in. */
  pidFile: string;
  /** The bot's exit status once it ended (`0`, `137` after SIGKILL, …). */
  exitFile: string;
  /** Everything the bot printed, across starts (what journalctl shows). */
  logFile: string;
  /** One line per systemctl call: its arguments. */
  systemctlLog: string;
  env: NodeJS.ProcessEnv;
  /** Runs a script with bash -e -o pipefail on the sandbox's PATH; fails the test unless it exits 0. */
  sh(script: string, cwd?: string): Promise<string>;
  /** Runs a script like `sh` and returns what happened. */
  bash(script: string, cwd?: string): Promise<Ran>;
  /** Puts an executable `name` with `script` first on PATH. */
  standIn(name: string, script: string): void;
}

/**
 * Makes the sandbox (removed after the test, a bot still running stopped first) for a bot
 * that talks to Blink at `blink` (the simulator).
 */
export async function createReadmeSandbox(
  t: { after: (fn: () => unknown) => void },
  blink: { restUrlTemplate: string; oauthUrl: string },
): Promise<ReadmeSandbox> {
  let pidFile = '';
  // Registered before tempDir's removal (hooks run in order): the bot (if the test left it
  // running) stops, then the folder goes.
  t.after(() => stopBot(pidFile));
  const tmp = tempDir(t, 'blink-readme-');
  pidFile = path.join(tmp, 'bot.pid');
  const box = {
    tmp,
    app: path.join(tmp, 'app'),
    systemdDir: path.join(tmp, 'systemd'),
    seed: path.join(tmp, 'seed'),
    origin: path.join(tmp, 'origin.git'),
    bin: path.join(tmp, 'bin'),
    pidFile,
    exitFile: path.join(tmp, 'bot.exit'),
    logFile: path.join(tmp, 'bot.log'),
    systemctlLog: path.join(tmp, 'systemctl.log'),
  };
  const home = path.join(tmp, 'home');
  for (const dir of [box.seed, box.bin, home, box.systemdDir]) mkdirSync(dir);

  const npmPath = spawnSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).stdout.trim();
  assert.ok(npmPath !== '', 'npm is on PATH');

  // A clean environment: defaults for everything but the Blink hosts (the simulator).
  const env: NodeJS.ProcessEnv = {
    PATH: `${box.bin}${path.delimiter}${process.env.PATH ?? ''}`,
    HOME: home,
    USER: process.env.USER ?? 'blink-readme',
    TZ: 'UTC',
    LOG_LEVEL: 'warn',
    BLINK_REST_URL: blink.restUrlTemplate,
    BLINK_OAUTH_URL: blink.oauthUrl,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'readme test',
    GIT_AUTHOR_EMAIL: 'readme@example.invalid',
    GIT_COMMITTER_NAME: 'readme test',
    GIT_COMMITTER_EMAIL: 'readme@example.invalid',
    npm_config_cache: path.join(tmp, 'npm-cache'),
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
  };
  const bash = (script: string, cwd = tmp): Promise<Ran> => run('bash', ['-e', '-o', 'pipefail', '-c', script], { cwd, env });
  const sh = async (script: string, cwd = tmp): Promise<string> => ok(await bash(script, cwd), script.split('\n')[0] ?? script);
  const standIn = (name: string, script: string): void => {
    writeFileSync(path.join(box.bin, name), script);
    chmodSync(path.join(box.bin, name), 0o755);
  };

  writeFileSync(path.join(tmp, 'systemctl.mjs'), systemctlStandIn({ ...box, log: box.systemctlLog }));
  standIn('sudo', '#!/bin/sh\nwhile :; do case "$1" in -E) shift ;; -u) shift 2 ;; *) break ;; esac; done\nexec "$@"\n');
  standIn('systemctl', `#!/bin/sh\nexec '${process.execPath}' '${path.join(tmp, 'systemctl.mjs')}' "$@"\n`);
  standIn(
    'npm',
    `#!/bin/sh\nif [ "$1" = "ci" ]; then rm -rf node_modules && ln -s '${path.join(ROOT, 'node_modules')}' node_modules && echo "npm ci: linked node_modules"; exit 0; fi\nexec '${npmPath}' "$@"\n`,
  );

  // This repository's HEAD as the published origin.
  await sh(`git -C '${ROOT}' archive --format=tar HEAD | tar -x -C '${box.seed}'`);
  await sh('git init -q -b main . && git add -A && git commit -q -m "release 1"', box.seed);
  await sh(`git clone -q --bare '${box.seed}' '${box.origin}'`);
  return { ...box, env, sh, bash, standIn };
}
