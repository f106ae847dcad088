import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { reply } from '../../src/core/reply.js';
import { bytesSource, pseudoRandomBytes, startHarness } from './harness.js';

const USER = 31337;
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

test('a photo upload arrives byte-exact with an escaped caption', async (t) => {
  const jpeg = pseudoRandomBytes(150_000, 1);
  const h = await startHarness(t, () => ({ reply: reply.media(bytesSource('photo', jpeg), 'Porch <front>') }));
  await h.frontEnd.start();
  h.fake.sendUserMessage({ chatId: USER, text: '/snap Porch' });
  const call = await h.fake.waitFor('sendPhoto');
  assert.equal(call.response.ok, true);
  assert.equal(call.files[0]?.sha256, sha(jpeg));
  assert.equal(call.params['caption'], 'Porch &lt;front&gt;');
});

test('a video upload arrives byte-exact, streamable, with an upload_video chat action', async (t) => {
  const mp4 = pseudoRandomBytes(1_500_000, 2);
  const h = await startHarness(t, () => ({ reply: reply.media(bytesSource('video', mp4), 'Clip') }));
  await h.frontEnd.start();
  h.fake.sendUserMessage({ chatId: USER, text: '/clip 1' });
  const call = await h.fake.waitFor('sendVideo');
  assert.equal(call.response.ok, true);
  assert.equal(call.files[0]?.size, mp4.length);
  assert.equal(call.files[0]?.sha256, sha(mp4));
  assert.equal(call.params['supports_streaming'], true);
  assert.ok(h.fake.callsOf('sendChatAction').some((c) => c.params['action'] === 'upload_video'));
});

test('a video over the limit (size known) sends the fallback photo with a note, never the video', async (t) => {
  const thumb = pseudoRandomBytes(20_000, 3);
  const video = bytesSource('video', pseudoRandomBytes(10, 4), {
    sizeBytes: 60 * 1024 * 1024,
    fallback: bytesSource('photo', thumb),
  });
  const h = await startHarness(t, () => ({ reply: reply.media(video, 'Motion at Porch') }));
  await h.frontEnd.start();
  h.fake.sendUserMessage({ chatId: USER, text: '/clip 1' });
  const call = await h.fake.waitFor('sendPhoto');
  assert.equal(call.files[0]?.sha256, sha(thumb));
  assert.match(String(call.params['caption']), /^Motion at Porch\n\nThis clip is too large to send here \(60 MB; the limit is 50 MB\)/);
  assert.equal(video.opens, 0);
  assert.equal(h.fake.callsOf('sendVideo').length, 0);
});

test('a video of unknown size that passes the limit mid-stream is aborted and replaced by the fallback', async (t) => {
  const thumb = pseudoRandomBytes(5_000, 5);
  const video = bytesSource('video', pseudoRandomBytes(600_000, 6), { fallback: bytesSource('photo', thumb) });
  const h = await startHarness(t, () => ({ reply: reply.media(video, 'Clip') }), { uploadLimitBytes: 256 * 1024 });
  await h.frontEnd.start();
  h.fake.sendUserMessage({ chatId: USER, text: '/clip 1' });
  const call = await h.fake.waitFor('sendPhoto');
  assert.equal(call.files[0]?.sha256, sha(thumb));
  assert.match(String(call.params['caption']), /too large/);
  assert.equal(video.opens, 1, 'no retry of a doomed upload');
  assert.equal(h.fake.callsOf('sendVideo').filter((c) => c.response.ok).length, 0);
});

test('429 on sendVideo with retry_after 1: waits, then re-sends the same bytes from a re-opened source', async (t) => {
  const mp4 = pseudoRandomBytes(300_000, 7);
  const source = bytesSource('video', mp4);
  const h = await startHarness(t, () => ({ reply: reply.media(source, 'Clip') }));
  await h.frontEnd.start();
  h.fake.failNext({ method: 'sendVideo', errorCode: 429, retryAfter: 1 });
  h.fake.sendUserMessage({ chatId: USER, text: '/clip 1' });
  const first = await h.fake.waitFor('sendVideo');
  const second = await h.fake.waitFor('sendVideo');
  assert.equal(first.response.ok, false);
  assert.equal(second.response.ok, true);
  assert.ok(second.startedAt - first.at >= 950, `waited only ${second.startedAt - first.at} ms`);
  assert.equal(second.files[0]?.sha256, sha(mp4));
  assert.equal(source.opens, 2);
  assert.equal(h.fake.callsOf('sendVideo').length, 2);
});

test('Telegram refusing the file as too big sends the fallback, no retry', async (t) => {
  const thumb = pseudoRandomBytes(4_000, 8);
  const video = bytesSource('video', pseudoRandomBytes(50_000, 9), { fallback: bytesSource('photo', thumb) });
  const h = await startHarness(t, () => ({ reply: reply.media(video, 'Clip') }));
  await h.frontEnd.start();
  h.fake.failNext({ method: 'sendVideo', errorCode: 400, description: 'Bad Request: file is too big' });
  h.fake.sendUserMessage({ chatId: USER, text: '/clip 1' });
  const photo = await h.fake.waitFor('sendPhoto');
  assert.equal(photo.files[0]?.sha256, sha(thumb));
  assert.equal(h.fake.callsOf('sendVideo').length, 1);
});

test('an uploaded clip with a cacheKey is sent by file id the next time', async (t) => {
  const mp4 = pseudoRandomBytes(40_000, 10);
  const source = bytesSource('video', mp4, { cacheKey: 'clip:1:101' });
  const h = await startHarness(t, () => ({ reply: reply.media(source, 'Clip') }));
  await h.frontEnd.start();
  const sent = await h.frontEnd.sender.send(`tg:${USER}`, reply.media(source, 'Clip'));
  const fileId = sent.fileIds?.['clip:1:101'];
  assert.ok(fileId);
  const again = await h.frontEnd.sender.send(`tg:${USER}`, reply.media(source, 'Clip'));
  assert.equal(again.fileIds?.['clip:1:101'], fileId);
  const calls = h.fake.callsOf('sendVideo');
  assert.equal(calls.length, 2);
  assert.equal(calls[1]?.files.length, 0);
  assert.equal(calls[1]?.params['video'], fileId);
  assert.equal(source.opens, 1);
});

test('fileIdFor lets the app supply a stored file id', async (t) => {
  const source = bytesSource('video', pseudoRandomBytes(1000, 11), { cacheKey: 'clip:1:5' });
  const h = await startHarness(t, () => ({ reply: reply.text('x') }));
  const upload = await h.frontEnd.sender.send(`tg:${USER}`, reply.media(source));
  const stored = upload.fileIds?.['clip:1:5'] ?? '';
  const h2 = await startHarness(t, () => ({ reply: reply.text('x') }), { fileIdFor: (key) => (key === 'clip:1:5' ? stored : undefined) });
  // A different fake does not know the id: it is refused and the clip is uploaded instead.
  const sent = await h2.frontEnd.sender.send(`tg:${USER}`, reply.media(source));
  assert.equal(h2.fake.callsOf('sendVideo').length, 2);
  assert.equal(h2.fake.callsOf('sendVideo')[0]?.params['video'], stored);
  assert.notEqual(sent.fileIds?.['clip:1:5'], stored);
});
