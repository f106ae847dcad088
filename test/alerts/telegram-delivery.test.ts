import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import jpeg from 'jpeg-js';
import type { ChatSender } from '../../src/core/sender.js';
import { createSilentLogger } from '../../src/log.js';
import { createTelegramFrontEnd } from '../../src/telegram/front-end.js';
import { startFakeTelegram } from '../helpers/fake-telegram/index.js';
import { botInfoOf } from '../telegram/harness.js';
import { FRONT_DOOR, startHarness, type Harness } from './harness.js';

test('through the real Telegram sender: the clip arrives as sendVideo with the exact bytes, the second chat by file id', async (t) => {
  const fake = await startFakeTelegram();
  let harness: Harness | undefined;
  const frontEnd = createTelegramFrontEnd({
    token: fake.token,
    apiRoot: fake.apiRoot,
    dispatcher: { handle: async () => ({ reply: { parts: [] } }) },
    commandMenu: [],
    uploadLimitBytes: 50 * 1024 * 1024,
    log: createSilentLogger(),
    botInfo: botInfoOf(fake),
    fileIdFor: (key) => harness?.service.fileIds('tg').lookup(key),
    onFileId: (key, id) => harness?.service.fileIds('tg').onStore(key, id),
    retry: { baseDelayMs: 10 },
    throttle: false,
  });
  t.after(async () => {
    await frontEnd.stop();
    await fake.close();
  });
  const sender: ChatSender = frontEnd.sender;
  harness = await startHarness(t, { group: true, telegram: sender });
  const h = harness;
  await h.poll();
  const id = await h.clipLater({ cameraId: FRONT_DOOR, source: 'pir' });
  await h.poll();

  const videos = fake.callsOf('sendVideo').filter((c) => c.response.ok);
  assert.equal(videos.length, 2);
  const uploads = videos.flatMap((c) => c.media.filter((m) => m.param === 'video' && m.source === 'upload'));
  const byId = videos.flatMap((c) => c.media.filter((m) => m.param === 'video' && m.source === 'file_id'));
  assert.equal(uploads.length, 1);
  assert.equal(byId.length, 1);
  const upload = uploads[0];
  assert.ok(upload?.source === 'upload');
  assert.equal(upload.file.sha256, createHash('sha256').update(h.sim.expectedClipBytes(id)).digest('hex'));
  // Each alert video carries the clip's thumbnail (a real JPEG) as its cover.
  for (const video of videos) {
    const cover = video.files.find((f) => f.param === 'cover');
    assert.ok(cover?.bytes, 'a cover upload');
    assert.ok(jpeg.decode(cover.bytes, { useTArray: true }).width > 0);
  }
  assert.equal(fake.messagesTo(42).length, 1);
  assert.equal(fake.messagesTo(-1001).length, 1);
});
