import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

test('the terminal chat of npm run demo: login with 2FA, status, snap saves a JPEG, an alert arrives as a saved video, EOF exits 0', async (t) => {
  const out = mkdtempSync(path.join(tmpdir(), 'blink-demo-out-'));
  t.after(() => rmSync(out, { recursive: true, force: true }));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/demo/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', DEMO_OUTPUT_DIR: out, DEMO_POLL_SECONDS: '1', DEMO_FIRST_CLIP_SECONDS: '1', DEMO_CLIP_EVERY_SECONDS: '3600', TZ: 'UTC' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  t.after(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  let stdout = '';
  let stderr = '';
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
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  let mark = 0;
  /** Waits for `re` in output printed after the last line we typed. */
  const expect = (re: RegExp, ms = 8_000): Promise<RegExpMatchArray> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${re} in:\n${stdout}\n--- stderr:\n${stderr}`)), ms);
      waiters.push({ re, from: mark, resolve: (m) => (clearTimeout(timer), resolve(m)) });
      check();
    });
  const type = (line: string): void => {
    mark = stdout.length;
    child.stdin.write(`${line}\n`);
  };

  await expect(/Ctrl-C or Ctrl-D quits/, 15_000);
  type('/login');
  await expect(/email address/i);
  type('owner@example.com');
  await expect(/password/i);
  const codeLine = expect(/📧 Blink sent code ([0-9]{6}) to owner@example\.com/);
  // The channel the bot names is the one the (simulated) Blink named: the demo mails it.
  const channelLine = expect(/Blink sent a verification code by email\b/);
  type('correct-horse-battery-staple');
  const [, code] = await codeLine;
  await channelLine;
  type(code ?? '');
  await expect(/Logged in to Blink/);

  type('/status');
  await expect(/Home: armed/);
  type('/snap Front Door');
  const [, photo] = await expect(/📷 photo saved to (\S+\.jpg)/);
  const jpeg = readFileSync(photo ?? '');
  assert.deepEqual([...jpeg.subarray(0, 3)], [0xff, 0xd8, 0xff], 'a JPEG');

  mark = 0;
  const [, video] = await expect(/🔔 🎞️ video saved to (\S+\.mp4)/, 10_000);
  const mp4 = readFileSync(video ?? '');
  assert.equal(mp4.subarray(4, 8).toString('latin1'), 'ftyp', 'an MP4');
  // The caption is printed right after the path, possibly in a later chunk.
  await expect(/Motion: (Front Door|Living Room|Porch)/);

  mark = stdout.length;
  child.stdin.end();
  assert.equal(await exited, 0, stderr);
  assert.match(stdout.slice(mark), /demo stopped/);
});
