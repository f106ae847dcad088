import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { DeliveryError } from '../../src/core/sender.js';
import type { Reply } from '../../src/core/reply.js';
import { CHANNEL, USER, startHarness } from './harness.js';

const clipBytes = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 31) % 256));
const alert = (bytes: Buffer, silent = false): Reply => ({
  silent,
  parts: [
    {
      type: 'media',
      caption: 'Motion: Garage (Home) 12:00',
      media: { kind: 'video', filename: 'clip.mp4', open: async () => ({ stream: Readable.from([bytes]) }) },
    },
  ],
});

test('an alert reaches a channel with the exact clip bytes and no mentions', async (t) => {
  const h = await startHarness(t);
  const sent = await h.frontEnd.sender.send(`dc:${CHANNEL}`, alert(clipBytes));
  const [message] = h.fake.channelMessages(CHANNEL);
  assert.deepEqual(sent.messageIds, [message?.id]);
  assert.ok(message?.attachments[0]?.bytes.equals(clipBytes));
  assert.equal(message?.content, 'Motion: Garage \\(Home\\) 12:00');
  assert.deepEqual(message?.allowed_mentions, { parse: [] });
  assert.equal(message?.flags, 0);
});

test('a quiet-hours alert is sent without a notification', async (t) => {
  const h = await startHarness(t);
  await h.frontEnd.sender.send(`dc:${CHANNEL}`, alert(clipBytes, true));
  assert.equal(h.fake.channelMessages(CHANNEL)[0]?.flags, 4096);
});

test("an alert to a user key goes to that user's DM channel", async (t) => {
  const h = await startHarness(t);
  await h.frontEnd.sender.send(`dc:${USER}`, { parts: [{ type: 'text', text: 'Please /login again.' }] });
  const dm = h.fake.callsOf('POST /users/@me/channels');
  assert.equal(dm.length, 1);
  const posted = h.fake.callsOf('POST /channels/:channel/messages').filter((c) => c.status === 200);
  assert.equal(posted.length, 1);
  assert.equal(h.fake.channelMessages(posted[0]?.params.channel ?? '')[0]?.content, 'Please /login again.');
  // The DM channel is remembered: the next alert needs no look-up.
  await h.frontEnd.sender.send(`dc:${USER}`, { parts: [{ type: 'text', text: 'again' }] });
  assert.equal(h.fake.callsOf('POST /users/@me/channels').length, 1);
});

test('failures map to DeliveryError: 403 chat-gone, repeated 5xx transient, 413 falls back', async (t) => {
  const h = await startHarness(t);
  h.fake.failNext({ route: 'POST /channels/:channel/messages', status: 403 });
  await assert.rejects(h.frontEnd.sender.send(`dc:${CHANNEL}`, alert(clipBytes)), (err) => err instanceof DeliveryError && err.failure === 'chat-gone');
  h.fake.failNext({ route: 'POST /channels/:channel/messages', status: 502, times: 10 });
  await assert.rejects(h.frontEnd.sender.send(`dc:${CHANNEL}`, alert(clipBytes)), (err) => err instanceof DeliveryError && err.failure === 'transient');
  h.fake.clearFaults();
  h.fake.failNext({ route: 'POST /channels/:channel/messages', status: 413, code: 40005 });
  const thumb = Buffer.from('thumb');
  const reply = alert(clipBytes);
  const part = reply.parts[0];
  assert.equal(part?.type, 'media');
  if (part?.type === 'media') part.media.fallback = { kind: 'photo', filename: 'thumb.jpg', open: async () => ({ stream: Readable.from([thumb]) }) };
  await h.frontEnd.sender.send(`dc:${CHANNEL}`, reply);
  const [message] = h.fake.channelMessages(CHANNEL);
  assert.ok(message?.attachments[0]?.bytes.equals(thumb));
  assert.match(message?.content ?? '', /too large/);
});

test('a clip announced over DISCORD_UPLOAD_LIMIT_MB is never uploaded; its thumbnail is', async (t) => {
  const h = await startHarness(t, { uploadLimitBytes: 50_000 });
  let opened = 0;
  const reply: Reply = {
    parts: [
      {
        type: 'media',
        media: {
          kind: 'video',
          filename: 'clip.mp4',
          open: async () => {
            opened++;
            return { stream: Readable.from([clipBytes]), sizeBytes: clipBytes.length };
          },
          fallback: { kind: 'photo', filename: 'thumb.jpg', open: async () => ({ stream: Readable.from([Buffer.from('t')]) }) },
        },
      },
    ],
  };
  await h.frontEnd.sender.send(`dc:${CHANNEL}`, reply);
  const calls = h.fake.callsOf('POST /channels/:channel/messages');
  assert.equal(calls.length, 1);
  assert.equal(calls[0]?.files[0]?.filename, 'thumb.jpg');
  assert.equal(h.fake.abortedCalls().length, 0);
  assert.equal(h.fake.bodyBytesReceived() < 10_000, true);
  assert.equal(opened, 1);
});

test('a clip of unknown size that passes DISCORD_UPLOAD_LIMIT_MB while streaming is cut off at the limit; its thumbnail is sent', async (t) => {
  const h = await startHarness(t, { uploadLimitBytes: 50_000 });
  const reply = alert(clipBytes);
  const part = reply.parts[0];
  if (part?.type === 'media') part.media.fallback = { kind: 'photo', filename: 'thumb.jpg', open: async () => ({ stream: Readable.from([Buffer.from('t')]) }) };
  await h.frontEnd.sender.send(`dc:${CHANNEL}`, reply);
  // The streamed upload stopped at the limit: Discord never got a whole body, so no message and no 413.
  const calls = h.fake.callsOf('POST /channels/:channel/messages');
  assert.equal(calls.length, 1);
  assert.equal(calls[0]?.files[0]?.filename, 'thumb.jpg');
  assert.equal(h.fake.channelMessages(CHANNEL).length, 1);
  assert.ok(h.fake.abortedCalls().every((c) => !c.cut && c.receivedBytes < clipBytes.length));
});
