/**
 * The terminal front end's numbered buttons: typing a number presses that button of the
 * last reply and runs its action through the dispatcher (here: /clips, then "1" saves the
 * newest clip's video with the exact bytes Blink served).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { createLogger } from '../../src/log.js';
import { createTerminalFrontEnd, TERMINAL_CALLER_ID } from '../../src/terminal/front-end.js';
import { createHarness } from '../core/harness.js';
import { tempDir } from '../helpers/temp-dir.js';
import { until } from '../helpers/until.js';

test('terminal: /clips, then typing "1" presses the first button and saves that clip with the exact bytes', async (t) => {
  const h = await createHarness(t);
  await h.login(TERMINAL_CALLER_ID);
  const size = 70_001;
  const clipId = h.sim.addClip({ cameraId: 4001, source: 'pir', size });
  const mediaDir = tempDir(t, 'terminal-buttons-');

  const input = new PassThrough();
  const output = new PassThrough();
  let shown = '';
  output.on('data', (c: Buffer) => (shown += c.toString()));
  const front = createTerminalFrontEnd({ input, output, dispatcher: h.dispatcher, mediaDir, clock: h.clock, log: createLogger({ level: 'silent' }) });
  front.start();
  t.after(() => front.stop());
  const typed = async (line: string, expect: RegExp): Promise<string> => {
    const from = shown.length;
    input.write(`${line}\n`);
    await until(() => expect.test(shown.slice(from)), `${String(expect)} after "${line}"`, 8_000);
    await front.idle();
    return shown.slice(from);
  };

  const list = await typed('/clips', /\[1\] /);
  assert.match(list, /\[2\] /, 'several numbered buttons');
  const before = h.sim.requestLog().filter((e) => e.path.includes(`/media/`) && e.path.endsWith('.mp4')).length;
  const pressed = await typed('1', /video saved to (\S+\.mp4)/);
  const file = /video saved to (\S+\.mp4)/.exec(pressed)?.[1] ?? '';
  assert.deepEqual(readFileSync(file), h.sim.expectedClipBytes(clipId), 'the newest clip, byte for byte');
  assert.equal(h.sim.requestLog().filter((e) => e.path.includes(`/media/`) && e.path.endsWith('.mp4')).length, before + 1, 'one download');

  const wrong = await typed('42', /There is no choice 42/);
  assert.doesNotMatch(wrong, /saved to/);
});
