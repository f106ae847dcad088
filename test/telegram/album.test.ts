/**
 * Albums as Telegram media groups (at most 10 per group; a lone picture is a photo) and the
 * cover of a video (`cover`, and `thumbnail` while under Telegram's 200 kB).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { reply } from '../../src/core/reply.js';
import { bytesSource, pseudoRandomBytes, startHarness } from './harness.js';

const USER = 31337;
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

const album = (count: number) =>
  Array.from({ length: count }, (_, i) => ({
    media: bytesSource('photo', pseudoRandomBytes(2_000 + i, i + 1), { filename: `cam-${i}.jpg` }),
    caption: `Cam <${i}> · ${i} min ago`,
  }));

test('an album of 12 pictures goes as media groups of 10 and 2, every picture byte-exact with its caption', async (t) => {
  const items = album(12);
  const h = await startHarness(t, () => ({ reply: reply.album(items) }));
  await h.frontEnd.start();
  h.fake.sendUserMessage({ chatId: USER, text: '/pictures' });
  await h.fake.waitFor((c) => c.method === 'sendMediaGroup' && c.response.ok && Array.isArray(c.params['media']) && c.params['media'].length === 2);
  const groups = h.fake.callsOf('sendMediaGroup');
  assert.deepEqual(groups.map((g) => (Array.isArray(g.params['media']) ? g.params['media'].length : 0)), [10, 2]);
  const uploads = groups.flatMap((g) => g.files);
  assert.equal(uploads.length, 12);
  for (const [i, file] of uploads.entries()) {
    const source = items[i];
    assert.ok(source);
    assert.equal(file.sha256, sha(pseudoRandomBytes(2_000 + i, i + 1)));
  }
  const history = h.fake.chatHistory(USER).filter((m) => m['media_group_id'] !== undefined);
  assert.equal(history.length, 12);
  assert.equal(history[0]?.['caption'], 'Cam <0> · 0 min ago', 'captions are escaped HTML, shown as typed');
  assert.equal(h.fake.callsOf('sendPhoto').length, 0);
});

test('an album of one picture is a plain photo (a media group needs two)', async (t) => {
  const items = album(1);
  const h = await startHarness(t, () => ({ reply: reply.album(items) }));
  await h.frontEnd.start();
  h.fake.sendUserMessage({ chatId: USER, text: '/pictures' });
  const call = await h.fake.waitFor('sendPhoto');
  assert.equal(call.response.ok, true);
  assert.equal(call.params['caption'], 'Cam &lt;0&gt; · 0 min ago');
  assert.equal(h.fake.callsOf('sendMediaGroup').length, 0);
});

test('a video with a cover is sent with that picture as `cover` and `thumbnail`', async (t) => {
  const cover = pseudoRandomBytes(8_000, 9);
  const mp4 = pseudoRandomBytes(40_000, 10);
  const h = await startHarness(t, () => ({ reply: reply.media(bytesSource('video', mp4, { cover: bytesSource('photo', cover) }), 'Motion: Porch') }));
  await h.frontEnd.start();
  h.fake.sendUserMessage({ chatId: USER, text: '/clip 1' });
  const call = await h.fake.waitFor('sendVideo');
  assert.equal(call.response.ok, true, JSON.stringify(call.response));
  const byParam = new Map(call.files.map((f) => [f.param, f]));
  assert.equal(byParam.get('video')?.sha256, sha(mp4));
  assert.equal(byParam.get('cover')?.sha256, sha(cover));
  assert.equal(byParam.get('thumbnail')?.sha256, sha(cover));
});

test('a cover over 200 kB goes as `cover` only (Telegram refuses such a `thumbnail`)', async (t) => {
  const cover = pseudoRandomBytes(300_000, 11);
  const h = await startHarness(t, () => ({ reply: reply.media(bytesSource('video', pseudoRandomBytes(10_000, 12), { cover: bytesSource('photo', cover) }), 'Clip') }));
  await h.frontEnd.start();
  h.fake.sendUserMessage({ chatId: USER, text: '/clip 1' });
  const call = await h.fake.waitFor('sendVideo');
  assert.equal(call.response.ok, true, JSON.stringify(call.response));
  assert.deepEqual(call.files.map((f) => f.param).sort(), ['cover', 'video']);
});
