import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { reply, type AlbumItem } from '../../src/core/reply.js';
import { CHANNEL, startHarness } from './harness.js';

const picture = (i: number): Buffer => Buffer.from(Array.from({ length: 3_000 + i }, (_, k) => (k * (i + 3)) % 256));
const items = (count: number): AlbumItem[] =>
  Array.from({ length: count }, (_, i) => ({
    media: { kind: 'photo', filename: 'Cam.jpg', open: async () => ({ stream: Readable.from([picture(i)]) }) },
    caption: `Cam ${i} · ${i} min ago`,
  }));

test('an album is one Discord message with every picture attached and the captions as its text', async (t) => {
  const h = await startHarness(t);
  const sent = await h.frontEnd.sender.send(`dc:${CHANNEL}`, reply.album(items(3)));
  const messages = h.fake.channelMessages(CHANNEL);
  assert.equal(messages.length, 1);
  assert.deepEqual(sent.messageIds, [messages[0]?.id]);
  const [message] = messages;
  assert.equal(message?.attachments.length, 3);
  for (const [i, attachment] of (message?.attachments ?? []).entries()) assert.ok(attachment.bytes.equals(picture(i)));
  assert.equal(new Set(message?.attachments.map((a) => a.filename)).size, 3, 'distinct file names');
  assert.equal(message?.content, 'Cam 0 · 0 min ago\nCam 1 · 1 min ago\nCam 2 · 2 min ago');
});

test('an album of 12 pictures is split into messages of at most 10 attachments', async (t) => {
  const h = await startHarness(t);
  await h.frontEnd.sender.send(`dc:${CHANNEL}`, reply.album(items(12)));
  assert.deepEqual(
    h.fake.channelMessages(CHANNEL).map((m) => m.attachments.length),
    [10, 2],
  );
});
