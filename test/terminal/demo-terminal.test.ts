import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { spawnDemo } from '../demo/helpers.js';

test('the terminal chat of npm run demo: login with 2FA, status, snap saves a JPEG, an alert arrives as a saved video, EOF exits 0', async (t) => {
  const demo = spawnDemo(t, [], {});
  await demo.expect(/Ctrl-C or Ctrl-D quits/, 15_000);
  demo.type('/login');
  await demo.expect(/email address/i);
  demo.type('owner@example.com');
  await demo.expect(/password/i);
  const codeLine = demo.expect(/📧 Blink sent code ([0-9]{6}) to owner@example\.com/);
  // The channel the bot names is the one the (simulated) Blink named: the demo mails it.
  const channelLine = demo.expect(/Blink sent a verification code by email\b/);
  demo.type('correct-horse-battery-staple');
  const [, code] = await codeLine;
  await channelLine;
  demo.type(code ?? '');
  await demo.expect(/Logged in to Blink/);

  demo.type('/status');
  await demo.expect(/Home: armed/);
  demo.type('/snap Front Door');
  const [, photo] = await demo.expect(/📷 photo saved to (\S+\.jpg)/);
  const jpeg = readFileSync(photo ?? '');
  assert.deepEqual([...jpeg.subarray(0, 3)], [0xff, 0xd8, 0xff], 'a JPEG');

  demo.type('/pictures');
  await demo.expect(/📷 photo saved to \S+Front-Door\.jpg\s+Front Door · [\s\S]*Living Room · [\s\S]*Porch · /);

  demo.rewind();
  const [, video] = await demo.expect(/🔔 🎞️ video saved to (\S+\.mp4)/, 10_000);
  const mp4 = readFileSync(video ?? '');
  assert.equal(mp4.subarray(4, 8).toString('latin1'), 'ftyp', 'an MP4');
  // The caption is printed right after the path, possibly in a later chunk.
  await demo.expect(/Motion: (Front Door|Living Room|Porch)/);

  demo.end();
  assert.equal(await demo.exited, 0, demo.stderr());
  await demo.expect(/demo stopped/);
});
