/**
 * F14: our clock shifted ±10 minutes from Blink's. The line between history and new clips is
 * Blink's time of the baseline poll, so nothing is lost, nothing is replayed, nothing repeats.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FRONT_DOOR, LIVING_ROOM, PORCH, startHarness, type Harness } from './harness.js';

const TEN_MIN = 10 * 60_000;

const sentClipIds = (h: Harness): string[] =>
  h.sender.sent.flatMap((s) => s.reply.parts.flatMap((p) => (p.type === 'media' && p.media.kind === 'video' ? [p.media.cacheKey ?? ''] : [])));

for (const [name, simMinusOurs] of [
  ['our clock 10 min ahead of Blink', -TEN_MIN],
  ['our clock 10 min behind Blink', TEN_MIN],
] as const) {
  test(`clock skew (${name}): history stays quiet, new and late clips arrive exactly once`, async (t) => {
    const h = await startHarness(t, { simSkewMs: simMinusOurs });
    // Recorded a minute before the account was linked (Blink's clock): history.
    const history = h.sim.addClip({ cameraId: LIVING_ROOM, source: 'pir', createdAt: h.sim.now() - 60_000 });
    const baselineAt = h.sim.now();
    await h.poll(); // baseline
    assert.deepEqual(sentClipIds(h), [], 'the baseline replays nothing');

    await h.clock.advance(5_000);
    const fresh = h.sim.addClip({ cameraId: FRONT_DOOR, source: 'pir' });
    await h.poll();
    assert.deepEqual(sentClipIds(h), [`clip:${h.sessionId}:${fresh}`], 'a clip 5 s after linking arrives');

    await h.clock.advance(60_000);
    // Recorded after the link but before `fresh` (older than the watermark), uploaded only now.
    const late = h.sim.addClip({ cameraId: PORCH, source: 'pir', createdAt: baselineAt + 2_000, updatedAt: h.sim.now() });
    // Recorded three hours before the link, changed now (e.g. watched in the app): still history.
    const changedHistory = h.sim.addClip({ cameraId: FRONT_DOOR, source: 'pir', createdAt: baselineAt - 3 * 3_600_000, updatedAt: h.sim.now() });
    await h.poll();
    for (let i = 0; i < 15; i++) {
      await h.clock.advance(60_000); // the overlap keeps re-reading the same clips for 10 min
      await h.poll();
    }
    assert.deepEqual(sentClipIds(h), [`clip:${h.sessionId}:${fresh}`, `clip:${h.sessionId}:${late}`]);
    assert.ok(!sentClipIds(h).some((k) => k.endsWith(`:${history}`) || k.endsWith(`:${changedHistory}`)));
  });
}

test('clock skew: a restart after the baseline keeps the server-timed line (no replay, no loss)', async (t) => {
  const h = await startHarness(t, { simSkewMs: -TEN_MIN });
  await h.poll();
  await h.service.stop(0);
  h.restart();
  await h.clock.advance(3_000);
  const id = h.sim.addClip({ cameraId: FRONT_DOOR, source: 'pir' });
  await h.poll();
  await h.clock.advance(60_000);
  await h.poll();
  assert.deepEqual(sentClipIds(h), [`clip:${h.sessionId}:${id}`]);
});

for (const [name, simMinusOurs] of [
  ['ahead', -TEN_MIN],
  ['behind', TEN_MIN],
] as const) {
  test(`clock skew (ours ${name}): a clip recorded after the link but before the first poll is alerted; one before it is not`, async (t) => {
    const h = await startHarness(t, { simSkewMs: simMinusOurs });
    const before = h.sim.addClip({ cameraId: LIVING_ROOM, source: 'pir', createdAt: h.sim.now() - 60_000 });
    // The first poll comes late (a restart, a long period): the clip in between still counts.
    await h.clock.advance(45_000);
    const between = h.sim.addClip({ cameraId: FRONT_DOOR, source: 'pir' });
    await h.clock.advance(10_000);
    await h.poll();
    await h.clock.advance(60_000);
    await h.poll();
    assert.deepEqual(sentClipIds(h), [`clip:${h.sessionId}:${between}`]);
    assert.ok(!sentClipIds(h).some((k) => k.endsWith(`:${before}`)));
  });
}
