/**
 * The terminal front end's numbered buttons: typing a number presses that button of the
 * last reply and runs its action through the dispatcher (here: /clips, then "1" saves the
 * newest clip's video with the exact bytes Blink served).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { test, type TestContext } from 'node:test';
import type { Clock } from '../../src/clock.js';
import type { Dispatcher } from '../../src/core/inbound.js';
import { createLogger } from '../../src/log.js';
import { createManualClock } from '../../src/clock.js';
import { reply } from '../../src/core/reply.js';
import { FALLBACK_ERROR_TEXT } from '../../src/core/user-error.js';
import { createTerminalFrontEnd, TERMINAL_CALLER_ID, TERMINAL_CHAT_ID } from '../../src/terminal/front-end.js';
import { createHarness } from '../core/harness.js';
import { tempDir } from '../helpers/temp-dir.js';
import { until } from '../helpers/until.js';

/** A terminal front end on pipes: `typed` writes a line and waits for `expect` in what it printed after. */
function startTerminal(t: TestContext, dispatcher: Dispatcher, clock: Clock, mediaDir: string) {
  const input = new PassThrough();
  const output = new PassThrough();
  const screen = { text: '' };
  output.on('data', (c: Buffer) => (screen.text += c.toString()));
  const front = createTerminalFrontEnd({ input, output, dispatcher, mediaDir, clock, log: createLogger({ level: 'silent' }) });
  front.start();
  t.after(() => front.stop());
  const typed = async (line: string, expect: RegExp): Promise<string> => {
    const from = screen.text.length;
    input.write(`${line}\n`);
    await until(() => expect.test(screen.text.slice(from)), `${String(expect)} after "${line}"`, 15_000);
    await front.idle();
    return screen.text.slice(from);
  };
  return { front, screen, typed };
}

test('terminal: /clips, then typing "1" presses the first button and saves that clip with the exact bytes', async (t) => {
  const h = await createHarness(t);
  await h.login(TERMINAL_CALLER_ID);
  const size = 70_001;
  const clipId = h.sim.addClip({ cameraId: 4001, source: 'pir', size });
  const mediaDir = tempDir(t, 'terminal-buttons-');

  const { typed } = startTerminal(t, h.dispatcher, h.clock, mediaDir);

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

test('terminal: numbers count up across messages, so a number read from /clips still presses that button after a newer message with buttons', async (t) => {
  const h = await createHarness(t);
  await h.login(TERMINAL_CALLER_ID);
  const clipId = h.sim.addClip({ cameraId: 4001, source: 'pir', size: 70_002 });
  const mediaDir = tempDir(t, 'terminal-buttons-');
  const { front, screen, typed } = startTerminal(t, h.dispatcher, h.clock, mediaDir);

  const list = await typed('/clips', /\[1\] /);
  const clipButtons = [...list.matchAll(/\[(\d+)\] /g)].length;
  // A newer message with buttons (an alert) arrives before the user types "1".
  const from = screen.text.length;
  await front.sender.send(TERMINAL_CHAT_ID, reply.text('Motion at Porch', [[{ label: 'Status', action: { command: 'status', args: {} } }]]));
  const alert = screen.text.slice(from);
  assert.match(alert, new RegExp(`\\[${clipButtons + 1}\\] Status`), "the alert's button gets the next number, not [1]");
  assert.doesNotMatch(alert, /\[1\] /);

  const pressed = await typed('1', /video saved to (\S+\.mp4)|Status/);
  const file = /video saved to (\S+\.mp4)/.exec(pressed)?.[1] ?? '';
  assert.ok(file !== '', `"1" still pressed the /clips button, got:\n${pressed}`);
  assert.deepEqual(readFileSync(file), h.sim.expectedClipBytes(clipId), 'the newest clip, byte for byte');
  const status = await typed(String(clipButtons + 1), /\n/);
  assert.doesNotMatch(status, /There is no choice/, "the alert's own number presses its button");
});

test('terminal: a dispatcher that throws gets the one fallback text every front end uses', async (t) => {
  const dispatcher = {
    handle: (): Promise<never> => Promise.reject(new Error('boom')),
  };
  const { typed } = startTerminal(t, dispatcher, createManualClock(), tempDir(t, 'terminal-fallback-'));
  const shown = await typed('/status', /\n/);
  assert.equal(shown, `${FALLBACK_ERROR_TEXT}\n`);
});
