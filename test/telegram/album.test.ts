/**
 * Albums as Telegram media groups (at most 10 per group; a lone picture is a photo) and the
 * cover of a video (`cover`, and `thumbnail` while under Telegram's 200 kB). Offline: the
 * renderer runs against a grammY Bot whose calls are recorded (test/telegram/offline-api.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reply } from '../../src/core/reply.js';
import { bytesSource, pseudoRandomBytes } from './harness.js';
import { bytesOf, offlineRenderer } from './offline-api.js';

const USER = 31337;

const album = (count: number) =>
  Array.from({ length: count }, (_, i) => ({
    media: bytesSource('photo', pseudoRandomBytes(2_000 + i, i + 1), { filename: `cam-${i}.jpg` }),
    caption: `Cam <${i}> · ${i} min ago`,
  }));

const mediaOf = (payload: Record<string, unknown>): Record<string, unknown>[] => {
  const media = payload['media'];
  assert.ok(Array.isArray(media), 'a media group carries a media array');
  return media;
};

test('an album of 12 pictures goes as media groups of 10 and 2, every picture byte-exact with its caption', async () => {
  const { renderer, calls } = offlineRenderer();
  await renderer.render(USER, reply.album(album(12)));
  const groups = calls.filter((c) => c.method === 'sendMediaGroup');
  assert.deepEqual(
    groups.map((g) => mediaOf(g.payload).length),
    [10, 2],
  );
  const items = groups.flatMap((g) => mediaOf(g.payload));
  for (const [i, item] of items.entries()) {
    assert.equal(item['type'], 'photo');
    assert.deepEqual(await bytesOf(item['media']), pseudoRandomBytes(2_000 + i, i + 1), `picture ${i}`);
    assert.equal(item['caption'], `Cam &lt;${i}&gt; · ${i} min ago`, 'captions are escaped HTML');
    assert.equal(item['parse_mode'], 'HTML');
  }
  assert.equal(calls.filter((c) => c.method === 'sendPhoto').length, 0);
});

test('an album of one picture is a plain photo (a media group needs two)', async () => {
  const { renderer, calls } = offlineRenderer();
  await renderer.render(USER, reply.album(album(1)));
  const sends = calls.filter((c) => c.method !== 'sendChatAction');
  assert.deepEqual(
    sends.map((c) => c.method),
    ['sendPhoto'],
  );
  assert.equal(sends[0]?.payload['caption'], 'Cam &lt;0&gt; · 0 min ago');
});

test('a video with a cover is sent with that picture as `cover` and `thumbnail`', async () => {
  const cover = pseudoRandomBytes(8_000, 9);
  const mp4 = pseudoRandomBytes(40_000, 10);
  const { renderer, calls } = offlineRenderer();
  await renderer.render(USER, reply.media(bytesSource('video', mp4, { cover: bytesSource('photo', cover) }), 'Motion: Porch'));
  const call = calls.find((c) => c.method === 'sendVideo');
  assert.ok(call);
  assert.deepEqual(await bytesOf(call.payload['video']), mp4);
  assert.deepEqual(await bytesOf(call.payload['cover']), cover);
  assert.deepEqual(await bytesOf(call.payload['thumbnail']), cover);
});

test('a cover over 200 kB goes as `cover` only (Telegram refuses such a `thumbnail`)', async () => {
  const cover = pseudoRandomBytes(300_000, 11);
  const { renderer, calls } = offlineRenderer();
  await renderer.render(USER, reply.media(bytesSource('video', pseudoRandomBytes(10_000, 12), { cover: bytesSource('photo', cover) }), 'Clip'));
  const call = calls.find((c) => c.method === 'sendVideo');
  assert.ok(call);
  assert.deepEqual(await bytesOf(call.payload['cover']), cover);
  assert.equal(call.payload['thumbnail'], undefined);
});
