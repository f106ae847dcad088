/** Spawns `npm run demo`'s entry with flags and an environment, and waits on its stdout. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../helpers/temp-dir.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface DemoProcess {
  /** Waits for `re` in stdout printed since the last `type` (or the start), failing with all output after `ms`. */
  expect(re: RegExp, ms?: number): Promise<RegExpMatchArray>;
  /** Types a line into the terminal chat. */
  type(line: string): void;
  /** Searches from the start of stdout again. */
  rewind(): void;
  /** Closes stdin (Ctrl-D). */
  end(): void;
  stdout(): string;
  stderr(): string;
  outputDir: string;
  exited: Promise<number | null>;
}

export function spawnDemo(t: TestContext, flags: string[], env: Record<string, string>): DemoProcess {
  const outputDir = tempDir(t, 'blink-demo-out-');
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/demo/main.ts', ...flags], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      DEMO_OUTPUT_DIR: outputDir,
      DEMO_POLL_SECONDS: '1',
      DEMO_FIRST_CLIP_SECONDS: '1',
      DEMO_CLIP_EVERY_SECONDS: '3600',
      TZ: 'UTC',
      ...env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  t.after(async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
  });
  let mark = 0;
  const waiters: { re: RegExp; from: number; resolve: (m: RegExpMatchArray) => void }[] = [];
  const check = (): void => {
    for (const w of [...waiters]) {
      const m = stdout.slice(w.from).match(w.re);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  };
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
    check();
  });
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return {
    expect: (re, ms = 15_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${re} in:\n${stdout}\n--- stderr:\n${stderr}`)), ms);
        waiters.push({
          re,
          from: mark,
          resolve: (m) => {
            clearTimeout(timer);
            resolve(m);
          },
        });
        check();
      }),
    type(line) {
      mark = stdout.length;
      child.stdin.write(`${line}\n`);
    },
    rewind() {
      mark = 0;
    },
    end() {
      mark = stdout.length;
      child.stdin.end();
    },
    stdout: () => stdout,
    stderr: () => stderr,
    outputDir,
    exited,
  };
}
