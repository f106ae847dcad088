/**
 * A video's cover no longer holds the video back: the video is opened first and its upload
 * starts while the cover downloads; a cover that comes late goes as the last part; a late
 * cover that fails costs a second upload without it, never the alert. Offline: grammY Bots
 * whose calls a transformer answers (reading every upload, as the multipart would).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Readable } from 'node:stream';
import { Bot, HttpError, InputFile } from 'grammy';
import { createActionStore } from '../../src/core/action-store.js';
import { reply, type MediaSource } from '../../src/core/reply.js';
import { systemClock } from '../../src/clock.js';
import { createSilentLogger } from '../../src/log.js';
import { createFileIdCache } from '../../src/telegram/file-id-cache.js';
import { createRenderer } from '../../src/telegram/render.js';
import { createRetryTransformer } from '../../src/telegram/retry-transformer.js';
import { botInfoOf, bytesSource, pseudoRandomBytes } from './harness.js';
import { bytesOf, offlineRenderer } from './offline-api.js';

const USER = 4711;

/** A picture whose download waits for `gate` before its first byte. */
function gatedPicture(bytes: Buffer, gate: Promise<void>, fail = false): MediaSource & { opens: number } {
  const source = {
    kind: 'photo' as const,
    filename: 'thumb.jpg',
    opens: 0,
    async open() {
      source.opens += 1;
      await gate;
      if (fail) throw new Error('thumbnail 500');
      return { stream: Readable.from([bytes]) };
    },
  };
  return source;
}

/** A video that resolves `opened` when its download starts. */
function watchedVideo(bytes: Buffer): { source: MediaSource & { opens: number }; opened: Promise<void> } {
  let resolve: () => void = () => undefined;
  const opened = new Promise<void>((r) => {
    resolve = r;
  });
  const inner = bytesSource('video', bytes);
  const source = Object.assign(inner, {
    async open() {
      inner.opens += 1;
      resolve();
      return { stream: Readable.from([bytes]) };
    },
  });
  return { source, opened };
}

// Before the change the cover was read whole before the video was opened: this deadlocked.
test('the video is opened while its cover downloads; a cover there in time goes as `cover` and `thumbnail`', { timeout: 5_000 }, async () => {
  const mp4 = pseudoRandomBytes(40_000, 21);
  const cover = pseudoRandomBytes(6_000, 22);
  const video = watchedVideo(mp4);
  const { renderer, calls } = offlineRenderer();
  await renderer.render(USER, reply.media({ ...video.source, cover: gatedPicture(cover, video.opened) }, 'Motion: Porch'));
  const call = calls.find((c) => c.method === 'sendVideo');
  assert.ok(call);
  assert.deepEqual(await bytesOf(call.payload['video']), mp4);
  assert.deepEqual(await bytesOf(call.payload['cover']), cover);
  assert.deepEqual(await bytesOf(call.payload['thumbnail']), cover);
});

test('a cover still downloading when the video is ready goes as a late `cover` part, without `thumbnail`', { timeout: 5_000 }, async () => {
  const mp4 = pseudoRandomBytes(40_000, 23);
  const cover = pseudoRandomBytes(6_000, 24);
  let release: () => void = () => undefined;
  const gate = new Promise<void>((r) => {
    release = r;
  });
  const { renderer, calls } = offlineRenderer();
  // Offline calls are answered without reading the parts: render returns before the cover is in.
  await renderer.render(USER, reply.media({ ...bytesSource('video', mp4), cover: gatedPicture(cover, gate) }, 'Motion: Porch'));
  const call = calls.find((c) => c.method === 'sendVideo');
  assert.ok(call);
  assert.equal(call.payload['thumbnail'], undefined);
  assert.deepEqual(await bytesOf(call.payload['video']), mp4);
  const late = bytesOf(call.payload['cover']);
  release();
  assert.deepEqual(await late, cover);
});

test('a late cover that fails: the video goes again without a cover, one message, no retry storm', { timeout: 5_000 }, async () => {
  const mp4 = pseudoRandomBytes(40_000, 25);
  const bot = new Bot('42:offline', { botInfo: botInfoOf({ botInfo: { id: 42, first_name: 'Blink', username: 'blink_test_bot' } }) });
  const sent: Record<string, unknown>[] = [];
  let attempts = 0;
  let release: () => void = () => undefined;
  const gate = new Promise<void>((r) => {
    release = r;
  });
  bot.api.config.use(async (_prev, method, payload) => {
    if (method !== 'sendVideo') return { ok: true, result: true } as never;
    attempts += 1;
    // The upload has started with a late cover part: now that download fails.
    release();
    const body: Record<string, unknown> = { ...payload };
    // Read every part as grammY's multipart does; a failing part fails the request.
    try {
      for (const value of Object.values(body)) if (value instanceof InputFile) await bytesOf(value);
    } catch (err) {
      throw new HttpError('Network request for sendVideo failed', err);
    }
    sent.push(body);
    const file = { file_id: 'v1', file_unique_id: 'u1', width: 1, height: 1, duration: 1 };
    return { ok: true, result: { message_id: 7, date: 0, chat: { id: USER, type: 'private', first_name: 'U' }, video: file } } as never;
  });
  // As the front end installs it: a failed late cover must not be retried as a network error.
  bot.api.config.use(createRetryTransformer({ clock: systemClock, log: createSilentLogger(), options: { baseDelayMs: 10 } }));
  const renderer = createRenderer({
    api: bot.api,
    actions: createActionStore({ clock: systemClock }),
    fileIds: createFileIdCache({}),
    uploadLimitBytes: 50 * 1024 * 1024,
    clock: systemClock,
    log: createSilentLogger(),
  });
  const video = bytesSource('video', mp4);
  const cover = gatedPicture(pseudoRandomBytes(6_000, 26), gate, true);
  const result = await renderer.render(USER, reply.media({ ...video, cover }, 'Motion: Porch'));
  assert.deepEqual(result.messageIds, ['7']);
  assert.equal(attempts, 2, 'the failed upload and one without the cover');
  assert.equal(sent.length, 1);
  assert.equal(sent[0]?.['cover'], undefined);
  assert.equal(video.opens, 2, 'the early open fed the first upload; the second opened anew');
  assert.equal(cover.opens, 1);
});
