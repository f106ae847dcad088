import assert from 'node:assert/strict';
import { test } from 'node:test';
import { until } from '../helpers/until.js';
import { FRONT_DOOR, GROUP, LIVING_ROOM, OWNER, PORCH, startHarness } from './harness.js';

test('a new clip reaches the linked chat once, as a video with the exact bytes; history is not replayed', async (t) => {
  const h = await startHarness(t);
  await h.poll(); // baseline: the fixture's five clips are history
  assert.equal(h.sender.sent.length, 0);

  await h.clock.advance(5_000);
  const id = h.sim.addClip({ cameraId: FRONT_DOOR, source: 'pir' });
  await h.poll();
  await h.clock.advance(60_000);
  await h.poll();

  assert.equal(h.sender.sent.length, 1);
  const sent = h.sender.sent[0];
  assert.ok(sent);
  assert.equal(sent.chat, OWNER);
  const part = sent.reply.parts[0];
  assert.equal(part?.type, 'media');
  assert.ok(part?.type === 'media');
  assert.equal(part.media.kind, 'video');
  assert.equal(part.media.cacheKey, `clip:${h.sessionId}:${id}`);
  assert.match(part.caption ?? '', /Motion: Front Door \(Home\)/);
  assert.deepEqual(sent.bodies[0], h.sim.expectedClipBytes(id));
  const labels = (part.buttons ?? []).flat().map((b) => `${b.label}:${b.action.command}`);
  assert.deepEqual(labels, ['Snap now:snap', 'Mute 1 h:mute', 'Arm:arm', 'Disarm:disarm']);
});

test('a doorbell press arrives as a ring, distinct from motion', async (t) => {
  const h = await startHarness(t);
  await h.poll();
  await h.clipLater({ cameraId: PORCH, source: 'button' });
  await h.poll();
  assert.equal(h.sender.sent.length, 1);
  const part = h.sender.sent[0]?.reply.parts[0];
  assert.ok(part?.type === 'media');
  assert.match(part.caption ?? '', /^🔔 Someone rang Porch/);
});

test('snapshots, live views and deleted clips are not alerts', async (t) => {
  const h = await startHarness(t);
  await h.poll();
  await h.clipLater({ cameraId: FRONT_DOOR, source: 'snapshot' });
  h.sim.addClip({ cameraId: FRONT_DOOR, source: 'liveview' });
  h.sim.addClip({ cameraId: FRONT_DOOR, source: 'pir', deleted: true });
  await h.poll();
  assert.equal(h.sender.sent.length, 0);
});

test('two chats linked to one account both get the clip, the second by file id', async (t) => {
  const h = await startHarness(t, { group: true });
  await h.poll();
  await h.clipLater({ cameraId: FRONT_DOOR, source: 'pir' });
  await h.poll();
  assert.deepEqual(h.sender.sent.map((s) => s.chat).sort(), [GROUP, OWNER].sort());
  assert.equal(h.sender.sent.filter((s) => s.byFileId).length, 1);
  // One download from Blink: the second chat got the file id.
  assert.equal(h.sim.requestCounts()['GET /api/v3/media/accounts/:a/networks/:n/:type/:c/:source/:file'], 1);
});

test('alerts off, camera off and muted chats get nothing; others still do', async (t) => {
  const h = await startHarness(t, { group: true });
  await h.poll();
  h.links.setAlerts(GROUP, false);
  h.settings.setCameraEnabled(OWNER, String(LIVING_ROOM), false, h.clock.now());
  await h.clipLater({ cameraId: LIVING_ROOM, source: 'pir' });
  await h.poll();
  assert.equal(h.sender.sent.length, 0);

  h.links.setMutedUntil(OWNER, h.clock.now() + 3_600_000);
  await h.clipLater({ cameraId: FRONT_DOOR, source: 'pir' });
  await h.poll();
  assert.equal(h.sender.sent.length, 0);

  h.links.setMutedUntil(OWNER, null);
  h.settings.setCameraMutedUntil(OWNER, String(FRONT_DOOR), h.clock.now() + 3_600_000, h.clock.now());
  await h.clipLater({ cameraId: FRONT_DOOR, source: 'pir' });
  h.sim.addClip({ cameraId: PORCH, source: 'pir' });
  await h.poll();
  assert.equal(h.sender.sent.length, 1);
  const part = h.sender.sent[0]?.reply.parts[0];
  assert.ok(part?.type === 'media');
  assert.match(part.caption ?? '', /Porch/);
});

test('quiet hours deliver silently, but a ring is not silenced', async (t) => {
  const h = await startHarness(t);
  await h.poll();
  // The manual clock starts at 12:00 UTC = 14:00 in Europe/Berlin.
  h.links.setQuietHours(OWNER, { start: '13:00', end: '15:00' });
  await h.clipLater({ cameraId: FRONT_DOOR, source: 'pir' });
  await h.poll();
  await h.clipLater({ cameraId: PORCH, source: 'button' });
  await h.poll();
  assert.deepEqual(
    h.sender.sent.map((s) => s.silent),
    [true, false],
  );

  h.links.setQuietHours(OWNER, { start: '22:00', end: '07:00' });
  await h.clipLater({ cameraId: FRONT_DOOR, source: 'pir' });
  await h.poll();
  assert.equal(h.sender.sent[2]?.silent, false);
});

test('pollNow while a poll is running: that poll is waited out and a new one asks Blink, so a clip added meanwhile is alerted when pollNow resolves', async (t) => {
  const h = await startHarness(t);
  await h.poll();
  // The next poll reads the inventory after its change check: hold it there...
  await h.clock.advance(10 * 60_000);
  h.sim.injectFault({ path: /homescreen/, delayMs: 300 });
  const before = h.sim.requestLog().length;
  const held = h.poll();
  await until(
    () =>
      h.sim
        .requestLog()
        .slice(before)
        .some((r) => r.routeClass.endsWith('/media/changed')),
    "the running poll's change check answered",
  );
  // ...so this clip appears after that poll's change check was answered.
  await h.clock.advance(1_000);
  const id = h.sim.addClip({ cameraId: FRONT_DOOR, source: 'pir' });
  await h.poll();
  await held;
  assert.deepEqual(
    h.sender.sent.map((s) => s.reply.parts[0]?.type === 'media' && s.reply.parts[0].media.cacheKey),
    [`clip:${h.sessionId}:${id}`],
  );
});
