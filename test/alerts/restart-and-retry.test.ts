import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DeliveryError } from '../../src/core/sender.js';
import { FRONT_DOOR, GROUP, LIVING_ROOM, OWNER, advanceBy, startHarness } from './harness.js';
import { until } from '../helpers/until.js';

const captionOf = (reply: { parts: { type: string; caption?: string; text?: string }[] }): string =>
  reply.parts.map((p) => p.caption ?? p.text ?? '').join(' ');

test('a restart on the same database neither repeats nor loses an alert', async (t) => {
  const h = await startHarness(t);
  await h.poll();
  await h.clipLater({ cameraId: FRONT_DOOR, source: 'pir' });
  await h.poll();
  assert.equal(h.sender.sent.length, 1);

  await h.service.stop(1_000);
  h.restart();
  await h.clock.advance(60_000);
  await h.poll();
  assert.equal(h.sender.sent.length, 1, 'not repeated');

  // Down: a clip arrives while no service runs; the restarted loop picks it up.
  await h.service.stop(1_000);
  await h.clock.advance(120_000);
  h.sim.addClip({ cameraId: LIVING_ROOM, source: 'pir' });
  await h.clock.advance(120_000);
  const service = h.restart();
  const ctl = new AbortController();
  service.start(ctl.signal);
  await advanceBy(h.clock, 70_000, 5_000);
  await until(() => h.sender.sent.length === 2, 'the clip added while down');
  assert.match(captionOf(h.sender.sent[1]?.reply ?? { parts: [] }), /Living Room/);
  ctl.abort();
});

test('an alert that could not be sent before a restart is sent after it, once', async (t) => {
  const h = await startHarness(t);
  await h.poll();
  await h.clipLater({ cameraId: FRONT_DOOR, source: 'pir' });
  h.sender.failNext.push(new DeliveryError('transient', 'Telegram 502'));
  await h.poll();
  assert.equal(h.sender.sent.length, 0);
  await h.service.stop(1_000);

  const service = h.restart();
  const ctl = new AbortController();
  service.start(ctl.signal);
  await advanceBy(h.clock, 20_000, 2_000);
  await until(() => h.sender.sent.length === 1, 'the pending alert');
  await advanceBy(h.clock, 120_000, 10_000);
  assert.equal(h.sender.sent.length, 1);
  ctl.abort();
});

test('sender transient failures are retried after Retry-After, keeping per-chat order', async (t) => {
  const h = await startHarness(t);
  await h.poll();
  await h.clipLater({ cameraId: FRONT_DOOR, source: 'pir' });
  await h.clipLater({ cameraId: LIVING_ROOM, source: 'pir' });
  h.sender.failNext.push(new DeliveryError('transient', 'Telegram 429', { retryAfterMs: 30_000 }));
  await h.poll();
  assert.equal(h.sender.sent.length, 0, 'the second clip waits behind the first');
  await h.clock.advance(29_000);
  await h.service.flush();
  assert.equal(h.sender.sent.length, 0, 'Retry-After is honoured');
  await h.clock.advance(2_000);
  await h.service.flush();
  assert.deepEqual(
    h.sender.sent.map((s) => (/Front Door/.test(captionOf(s.reply)) ? 'front' : 'living')),
    ['front', 'living'],
  );
});

test('a gone chat is marked inactive, not retried, and the owner is told in another chat', async (t) => {
  const h = await startHarness(t, { group: true });
  await h.poll();
  await h.clipLater({ cameraId: FRONT_DOOR, source: 'pir' });
  // The group's row is first (chat order), so the first send is the group's.
  h.sender.failNext.push(new DeliveryError('chat-gone', 'Forbidden: bot was kicked'));
  await h.poll();
  await h.service.flush();
  assert.equal(h.links.get(GROUP)?.active, false);
  const toOwner = h.sender.sent.filter((s) => s.chat === OWNER);
  assert.equal(toOwner.length, 2);
  assert.ok(toOwner.some((s) => /no longer post in tg:-1001/.test(captionOf(s.reply))));
  const callsBefore = h.sender.calls;
  await h.clipLater({ cameraId: FRONT_DOOR, source: 'pir' });
  await h.poll();
  assert.equal(h.sender.calls, callsBefore + 1, 'only the owner gets the next clip');
  assert.equal(h.sender.sent.at(-1)?.chat, OWNER);
});

test('a rejected clip falls back to text without retrying', async (t) => {
  const h = await startHarness(t);
  await h.poll();
  await h.clipLater({ cameraId: FRONT_DOOR, source: 'pir' });
  h.sender.failNext.push(new DeliveryError('rejected', 'file is too big'));
  await h.poll();
  assert.equal(h.sender.calls, 2);
  assert.equal(h.sender.sent[0]?.reply.parts[0]?.type, 'text');
  assert.match(captionOf(h.sender.sent[0]?.reply ?? { parts: [] }), /Front Door/);
});

test('a clip download that keeps failing ends as "clip unavailable" with the thumbnail', async (t) => {
  const h = await startHarness(t);
  await h.poll();
  await h.clipLater({ cameraId: FRONT_DOOR, source: 'pir' });
  h.sim.injectFault({ path: /\.mp4$/, status: 200, body: { message: 'tiny' }, times: 10 });
  await h.poll();
  for (let i = 0; i < 4 && h.sender.sent.length === 0; i++) {
    await h.clock.advance(60_000);
    await h.service.flush();
  }
  assert.equal(h.sender.sent.length, 1);
  const part = h.sender.sent[0]?.reply.parts[0];
  assert.ok(part?.type === 'media');
  assert.equal(part.media.kind, 'photo');
  assert.match(part.caption ?? '', /Clip unavailable/);
});

test('a chat platform down for hours: the alert is retried and arrives once it is back (docs/chat-contract.md §6)', async (t) => {
  const h = await startHarness(t);
  await h.poll();
  await h.clipLater({ cameraId: FRONT_DOOR, source: 'pir' });
  const failures = 40; // at most 15 min apart: several hours of 502s
  for (let i = 0; i < failures; i++) h.sender.failNext.push(new DeliveryError('transient', 'Telegram 502'));
  await h.poll();
  for (let i = 0; i < failures + 5 && h.sender.sent.length === 0; i++) {
    await h.clock.advance(16 * 60_000);
    await h.service.flush();
  }
  assert.equal(h.sender.failNext.length, 0, 'every failure was met by a retry');
  assert.equal(h.sender.sent.length, 1);
  assert.match(captionOf(h.sender.sent[0]?.reply ?? { parts: [] }), /Front Door/);
});
