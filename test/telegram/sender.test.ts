import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { reply } from '../../src/core/reply.js';
import { DeliveryError } from '../../src/core/sender.js';
import { bytesSource, pseudoRandomBytes, startHarness } from './harness.js';

const CHAT = 9001;
const quiet = () => ({ reply: reply.text('') });

async function failure(promise: Promise<unknown>): Promise<DeliveryError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof DeliveryError, `expected a DeliveryError, got ${String(err)}`);
    return err;
  }
  assert.fail('the send succeeded');
}

test('sender: 500 three times is a transient DeliveryError after three attempts', async (t) => {
  const h = await startHarness(t, quiet);
  h.fake.failNext({ method: 'sendMessage', errorCode: 500, times: 3 });
  const err = await failure(h.frontEnd.sender.send(`tg:${CHAT}`, reply.text('Motion at Porch')));
  assert.equal(err.failure, 'transient');
  assert.equal(h.fake.callsOf('sendMessage').length, 3);
  assert.equal(h.fake.messagesTo(CHAT).length, 0);
});

test('sender: 500 twice then success delivers once', async (t) => {
  const h = await startHarness(t, quiet);
  h.fake.failNext({ method: 'sendMessage', errorCode: 502, times: 2 });
  const sent = await h.frontEnd.sender.send(`tg:${CHAT}`, reply.text('Motion at Porch'));
  assert.equal(sent.messageIds.length, 1);
  assert.equal(h.fake.messagesTo(CHAT).length, 1);
});

test('sender: 403 blocked is chat-gone, without retries', async (t) => {
  const h = await startHarness(t, quiet);
  h.fake.blockChat(CHAT);
  const err = await failure(h.frontEnd.sender.send(`tg:${CHAT}`, reply.text('Motion')));
  assert.equal(err.failure, 'chat-gone');
  assert.equal(h.fake.callsOf('sendMessage').length, 1);
});

test('sender: 400 chat not found is chat-gone', async (t) => {
  const h = await startHarness(t, quiet, {}, { strictChats: true });
  const err = await failure(h.frontEnd.sender.send('tg:-100777', reply.text('Motion')));
  assert.equal(err.failure, 'chat-gone');
});

test('sender: 429 with a long retry_after is transient and carries the wait', async (t) => {
  const h = await startHarness(t, quiet);
  h.fake.failNext({ method: 'sendMessage', errorCode: 429, retryAfter: 300 });
  const err = await failure(h.frontEnd.sender.send(`tg:${CHAT}`, reply.text('Motion')));
  assert.equal(err.failure, 'transient');
  assert.equal(err.retryAfterMs, 300_000);
  assert.equal(h.fake.callsOf('sendMessage').length, 1);
});

test('sender: a connection reset during an upload re-sends the whole clip from a re-opened source', async (t) => {
  const mp4 = pseudoRandomBytes(200_000, 12);
  const source = bytesSource('video', mp4);
  const h = await startHarness(t, quiet);
  h.fake.resetConnectionNext('sendVideo');
  await h.frontEnd.sender.send(`tg:${CHAT}`, reply.media(source, 'Motion'));
  const ok = h.fake.callsOf('sendVideo').filter((c) => c.response.ok);
  assert.equal(ok.length, 1);
  assert.equal(ok[0]?.files[0]?.sha256, createHash('sha256').update(mp4).digest('hex'));
  assert.equal(source.opens, 2);
});

test('sender: a media part whose download fails is transient after bounded attempts', async (t) => {
  const h = await startHarness(t, quiet);
  let opens = 0;
  const broken = {
    kind: 'video' as const,
    filename: 'clip.mp4',
    async open(): Promise<never> {
      opens += 1;
      throw new Error('Blink download reset');
    },
  };
  const err = await failure(h.frontEnd.sender.send(`tg:${CHAT}`, reply.media(broken)));
  assert.equal(err.failure, 'transient');
  assert.equal(opens, 3);
});

test('sender: silent alerts carry disable_notification; a non-Telegram chat id is refused', async (t) => {
  const h = await startHarness(t, quiet);
  await h.frontEnd.sender.send(`tg:${CHAT}`, { ...reply.text('Motion'), silent: true });
  assert.equal(h.fake.callsOf('sendMessage')[0]?.params['disable_notification'], true);
  const err = await failure(h.frontEnd.sender.send('dc:123', reply.text('x')));
  assert.equal(err.failure, 'chat-gone');
  assert.equal(h.frontEnd.sender.platform, 'tg');
});
