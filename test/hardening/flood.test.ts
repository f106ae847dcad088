/**
 * Bounded by design (issue "Trust" point 7) over the whole bot with the fake Telegram: a
 * stranger flooding a private chat gets one reply (naming the chat) per minute; the rest is
 * dropped before it is queued, so nothing waits to be answered later.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { notAllowedText } from '../../src/core/dispatcher.js';
import { STRANGER, startApp, textOfCall } from './app-harness.js';
import { until } from '../helpers/until.js';

test('a stranger flooding a private chat gets one reply per minute; the rest is dropped without queueing', async (t) => {
  const h = await startApp(t);
  for (let i = 0; i < 15; i++) h.fake.sendUserMessage({ userId: STRANGER, chatId: STRANGER, text: i % 2 === 0 ? '/status' : `/help ${i}` });
  await until(() => h.fake.pendingUpdates() === 0, 'the bot to fetch the whole flood');
  // Real time on purpose, longer than the Telegram throttle's spacing of sends to one chat
  // (1 s), so a queued second answer would show up: nothing the bot does marks "no second
  // answer", so no event can replace this wait.
  await new Promise((r) => setTimeout(r, 1_500));
  const replies = h.fake.calls.filter((c) => c.method === 'sendMessage' && Number(c.params['chat_id']) === STRANGER);
  assert.deepEqual(replies.map(textOfCall), [notAllowedText(`tg:${STRANGER}`)]);
  const handlers = h.logLines.filter((l) => l.includes('"msg":"handling"') && l.includes(`tg:${STRANGER}`)).length;
  assert.equal(handlers, 1, 'only one update reached the dispatcher');
});
