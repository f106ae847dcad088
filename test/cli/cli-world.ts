/**
 * A CLI test world: the Blink simulator on 127.0.0.1, a temp folder for the database, and
 * BLINK_* pointed at the simulator; `run` calls runCli with streams and returns the exit
 * code and what was printed. `env` adds variables (e.g. the live view CA file and host).
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { TestContext } from 'node:test';
import { runCli } from '../../src/cli/run-cli.js';
import { startBlinkSimulator, type BlinkSimulator } from '../../src/simulator/index.js';
import { tempDir } from '../helpers/temp-dir.js';
import { until } from '../helpers/until.js';

export const EMAIL = 'owner@example.com';
export const PASSWORD = 'correct-horse-battery-staple';

export interface World {
  sim: BlinkSimulator;
  dir: string;
  env: Record<string, string> & { DATABASE_PATH: string };
  run(argv: string[], feed?: (stdin: PassThrough) => Promise<void>, options?: RunOptions): Promise<{ code: number; stdout: string; stderr: string }>;
}

interface RunOptions {
  /** Ctrl-C, as main wires SIGINT. */
  signal?: AbortSignal;
  /** stderr claims to be a terminal (progress redrawn in place). */
  stderrTTY?: boolean;
  /** Called with all of stderr so far at each write. */
  onStderr?: (stderr: string) => void;
}

/** Variables for the world, given the simulator (e.g. its live view CA and host). */
export type WorldEnv = Record<string, string> | ((sim: BlinkSimulator, dir: string) => Record<string, string>);

export async function world(t: TestContext, simOptions: Parameters<typeof startBlinkSimulator>[0] = {}, env: WorldEnv = {}): Promise<World> {
  const sim = await startBlinkSimulator(simOptions);
  t.after(() => sim.close());
  const dir = tempDir(t, 'blink-cli-');
  const fullEnv = {
    DATABASE_PATH: path.join(dir, 'data', 'bot.sqlite'),
    BLINK_REST_URL: sim.restUrlTemplate,
    BLINK_OAUTH_URL: sim.oauthUrl,
    TZ: 'UTC',
    ...(typeof env === 'function' ? env(sim, dir) : env),
  };
  return {
    sim,
    dir,
    env: fullEnv,
    async run(argv, feed, options = {}) {
      const stdin = new PassThrough();
      const stdout = new PassThrough();
      const stderr = Object.assign(new PassThrough(), options.stderrTTY ? { isTTY: true } : {});
      let out = '';
      let err = '';
      stdout.on('data', (c: Buffer) => (out += c.toString()));
      stderr.on('data', (c: Buffer) => {
        err += c.toString();
        options.onStderr?.(err);
      });
      const feeding = feed ? feed(stdin) : Promise.resolve(stdin.end());
      const code = await runCli(argv, { stdin, stdout, stderr, env: fullEnv, ...(options.signal ? { signal: options.signal } : {}) });
      await feeding;
      return { code, stdout: out, stderr: err };
    },
  };
}

/** Writes the PIN once the simulator has "sent" it, as a mail-reading script would. */
export function pinFrom(sim: BlinkSimulator) {
  return async (stdin: PassThrough): Promise<void> => {
    // No PIN in time: stdin ends empty and the CLI's own error shows in the test.
    const pin = await until(() => sim.currentPin(EMAIL), 'the PIN').catch(() => undefined);
    stdin.end(pin ? `${pin}\n` : undefined);
  };
}

export async function loggedIn(t: TestContext, simOptions: Parameters<typeof startBlinkSimulator>[0] = {}, env: WorldEnv = {}): Promise<World> {
  const w = await world(t, simOptions, env);
  const creds = path.join(w.dir, 'creds.json');
  writeFileSync(creds, JSON.stringify({ username: EMAIL, password: PASSWORD }));
  const r = await w.run(['login', '--credentials', creds]);
  assert.equal(r.code, 0, r.stderr);
  return w;
}
