import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRecordRequestsRepository } from '../../src/db/repositories/record-requests.js';
import { FRONT_DOOR, startHarness } from './harness.js';

test('a clip the bot asked for (/record) is not announced as motion, even with source pir; later motion is', async (t) => {
  const h = await startHarness(t);
  await h.poll(); // baseline
  const requests = createRecordRequestsRepository(h.db);
  const newest = Math.max(...[...h.sim.state.media.values()].filter((m) => m.deviceId === FRONT_DOOR).map((m) => m.createdAt));
  const request = requests.open({ sessionId: h.sessionId, cameraId: String(FRONT_DOOR), afterMs: newest, now: h.clock.now(), ttlMs: 60_000 });

  await h.clock.advance(2_000);
  const asked = h.sim.addClip({ cameraId: FRONT_DOOR, source: 'pir' });
  await h.poll();
  assert.equal(h.sender.sent.length, 0, 'the requested clip is no alert');

  // /record found its clip: the next motion clip of the camera alerts as usual.
  requests.claim(request, String(asked));
  await h.clock.advance(2_000);
  h.sim.addClip({ cameraId: FRONT_DOOR, source: 'pir' });
  await h.poll();
  assert.equal(h.sender.sent.length, 1);
});
