/**
 * `npm run simulator`: prints the BLINK_* values and the 2FA codes; a client pointed at
 * those values logs in with the demo account and the printed code.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createBlinkService } from '../../src/blink/service.js';
import { createFastClock, silentLog } from '../blink/helpers.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

test('npm run simulator prints BLINK_REST_URL, BLINK_OAUTH_URL and the 2FA code a client then logs in with', async (t) => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/demo/simulator.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  t.after(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    await exited;
  });
  let out = '';
  const listeners = new Set<() => void>();
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString();
    for (const l of listeners) l();
  });
  const expect = (re: RegExp): Promise<RegExpMatchArray> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${re} in:\n${out}`)), 15_000);
      const check = (): void => {
        const m = out.match(re);
        if (!m) return;
        clearTimeout(timer);
        listeners.delete(check);
        resolve(m);
      };
      listeners.add(check);
      check();
    });

  const [, rest] = await expect(/BLINK_REST_URL=(\S+)/);
  const [, oauth] = await expect(/BLINK_OAUTH_URL=(\S+)/);
  await expect(/curl -s -X POST \S+\/__sim\/currentPin/);
  assert.match(rest ?? '', /^http:\/\/127\.0\.0\.1:\d+\/rest-\{tier\}$/);

  const blink = createBlinkService({ urls: { oauth: oauth ?? '', restTemplate: rest ?? '' }, clock: createFastClock(), log: silentLog });
  t.after(() => blink.close());
  const step = await blink.login('owner@example.com', 'correct-horse-battery-staple');
  assert.equal(step.kind, 'awaiting-code');
  const [, pin] = await expect(/Blink sent code ([0-9]{6}) to owner@example\.com/);
  if (step.kind !== 'awaiting-code') return;
  const session = await step.pending.submitCode(pin ?? '');
  assert.equal(session.accountId, '1001');
  child.kill('SIGTERM');
  assert.equal(await exited, 0);
});
