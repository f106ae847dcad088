/** A real entry (`src/main.ts`, `src/cli/main.ts`) in a child process, as an operator starts it. */
import { spawn, type ChildProcess } from 'node:child_process';

const root = new URL('../..', import.meta.url).pathname;
// Resolved here, so that a child started in another folder (no node_modules) still finds it.
const tsx = import.meta.resolve('tsx');

/** Unroutable hosts for a bot that must not reach a real Telegram or Blink. */
export function offlineBotEnv(dbPath: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    TELEGRAM_BOT_TOKEN: '123:dummy',
    TELEGRAM_API_ROOT: 'http://127.0.0.1:9',
    BLINK_REST_URL: 'http://127.0.0.1:9/rest-{tier}',
    BLINK_OAUTH_URL: 'http://127.0.0.1:9',
    DATABASE_PATH: dbPath,
    ...extra,
  };
}

export interface SpawnEntryOptions {
  /** The working folder (default: the package root). */
  cwd?: string;
  /** Called with all stdout so far on every chunk (e.g. to signal the child once it is up). */
  onStdout?: (all: string, child: ChildProcess) => void;
}

/**
 * Runs `node --import tsx <args>` with only PATH and `env` in its environment; stdout and
 * stderr are collected apart. `finished` resolves with the exit code and both outputs.
 */
export function spawnEntry(args: string[], env: Record<string, string>, options: SpawnEntryOptions = {}) {
  const child = spawn(process.execPath, ['--import', tsx, ...args], {
    cwd: options.cwd ?? root,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
    options.onStdout?.(stdout, child);
  });
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  // A process that should have exited but runs on (old behaviour) is stopped; its exit code fails the test.
  const timer = setTimeout(() => child.kill('SIGKILL'), 45_000);
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(code);
    }),
  );
  const finished = exited.then((code) => ({ code, stdout, stderr }));
  return { child, exited, finished, stdout: () => stdout, stderr: () => stderr, output: () => stdout + stderr };
}
