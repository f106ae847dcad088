/** A real entry (`src/main.ts`, `src/cli/main.ts`) in a child process, as an operator starts it. */
import { spawn } from 'node:child_process';

const root = new URL('../..', import.meta.url).pathname;

/** Unroutable hosts for a bot that must not reach a real Telegram or Blink. */
export function offlineBotEnv(dbPath: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    TELEGRAM_BOT_TOKEN: '123:dummy',
    TELEGRAM_API_ROOT: 'http://127.0.0.1:9',
    BLINK_REST_URL: 'http://127.0.0.1:9/rest-{tier}',
    BLINK_OAUTH_URL: 'http://127.0.0.1:9',
    DATABASE_PATH: dbPath,
    ...extra,
  };
}

/** Runs `node --import tsx <args>` from the package root; stdout and stderr are collected apart. */
export function spawnEntry(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  // A process that should have exited but runs on (old behaviour) is stopped; its exit code fails the test.
  const timer = setTimeout(() => child.kill('SIGKILL'), 45_000);
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(code);
    }),
  );
  return { child, exited, stdout: () => stdout, stderr: () => stderr, output: () => stdout + stderr };
}
