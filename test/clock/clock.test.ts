/**
 * The injected clock: `waitAtMost` bounds a wait on the clock (no real timer, nothing left
 * behind), and ManualClock's sleep drops its abort listener once it wakes.
 */
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { test } from 'node:test';
import { createManualClock, waitAtMost } from '../../src/clock.js';

test('ManualClock: a woken sleep removes its abort listener from a long-lived signal', async () => {
  const clock = createManualClock();
  const signal = new AbortController().signal;
  for (let i = 0; i < 5; i++) {
    const slept = clock.sleep(10, signal);
    await clock.advance(10);
    await slept;
  }
  assert.equal(getEventListeners(signal, 'abort').length, 0);
});

test('waitAtMost: the work settles first → its value; the clock was not advanced', async () => {
  const clock = createManualClock();
  const outcome = await waitAtMost(clock, 1_000, Promise.resolve(42));
  assert.deepEqual(outcome, { settled: true, value: 42 });
});

test('waitAtMost: time runs out on the injected clock → settled false, and a later rejection is not unhandled', async () => {
  const clock = createManualClock();
  let fail: (e: Error) => void = () => undefined;
  const work = new Promise<number>((_, reject) => (fail = reject));
  const waiting = waitAtMost(clock, 1_000, work);
  await clock.advance(999);
  let done = false;
  void waiting.then(() => (done = true));
  await new Promise((r) => setImmediate(r));
  assert.equal(done, false, 'still waiting before the deadline');
  await clock.advance(1);
  assert.deepEqual(await waiting, { settled: false });
  fail(new Error('late'));
  await new Promise((r) => setImmediate(r));
});

test('waitAtMost: a rejection within the time rejects', async () => {
  const clock = createManualClock();
  await assert.rejects(waitAtMost(clock, 1_000, Promise.reject(new Error('boom'))), /boom/);
});
