import { test } from 'node:test';
import assert from 'node:assert/strict';
import { systemClock } from '../../src/clock.js';
import { reply } from '../../src/core/reply.js';
import { until } from '../helpers/until.js';
import { buttonsOf, messageIdOf, startHarness } from './harness.js';

const USER = 777;

const clipList = reply.text('Clips', [
  [{ label: 'Clip 1', action: { command: 'clip', args: { clip: '101' } } }],
  [{ label: 'Clip 2', action: { command: 'clip', args: { clip: '102' } } }],
]);

test('buttons become an inline keyboard, and a press dispatches the button action', async (t) => {
  const h = await startHarness(t, (inbound) =>
    inbound.event.type === 'command' ? { reply: clipList } : { reply: reply.text(`sending ${JSON.stringify(inbound.event)}`) },
  );
  await h.frontEnd.start();
  h.fake.sendUserMessage({ chatId: USER, text: '/clips' });
  const list = await h.fake.waitFor('sendMessage');
  const buttons = buttonsOf(list);
  assert.deepEqual(
    buttons.map((b) => b.text),
    ['Clip 1', 'Clip 2'],
  );
  for (const b of buttons) assert.ok(Buffer.byteLength(b.callback_data) <= 64);
  const messageId = messageIdOf(list);
  h.fake.pressButton({ chatId: USER, userId: USER, messageId, data: buttons[1]?.callback_data ?? '' });
  const answer = await h.fake.waitFor('answerCallbackQuery');
  assert.equal(answer.params['text'], undefined);
  await h.fake.waitFor('sendMessage');
  const pressed = h.inbound[1]?.event;
  assert.ok(pressed?.type === 'button' && typeof pressed.pressId === 'string', 'the press carries its button identity');
  assert.deepEqual({ ...pressed, pressId: undefined }, { type: 'button', command: 'clip', args: { clip: '102' }, pressId: undefined });
  assert.equal(h.inbound[1]?.caller.id, `tg:${USER}`);
});

test('an unknown or expired token answers "expired" and dispatches nothing', async (t) => {
  const h = await startHarness(t, () => ({ reply: clipList }), { buttonTtlMs: 60_000 });
  await h.frontEnd.start();
  h.fake.sendUserMessage({ chatId: USER, text: '/clips' });
  const list = await h.fake.waitFor('sendMessage');
  const messageId = messageIdOf(list);
  h.fake.pressButton({ chatId: USER, userId: USER, messageId, data: 'a:not-a-token', force: true });
  const answer = await h.fake.waitFor('answerCallbackQuery');
  assert.match(String(answer.params['text']), /expired/);
  // Real time on purpose: the bot polls the fake over a real socket; 50 ms lets a wrong extra call arrive.
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(h.inbound.length, 1);
  assert.equal(h.fake.callsOf('sendMessage').length, 1);
});

test('a button pressed after its lifetime is expired', async (t) => {
  let now = Date.UTC(2026, 0, 1);
  // Only the button lifetime is moved by hand; the front end's own waits stay real.
  const clock = { ...systemClock, now: () => now };
  const h = await startHarness(t, () => ({ reply: clipList }), { clock, buttonTtlMs: 60_000 });
  await h.frontEnd.start();
  h.fake.sendUserMessage({ chatId: USER, text: '/clips' });
  const list = await h.fake.waitFor('sendMessage');
  const messageId = messageIdOf(list);
  now += 61_000;
  h.fake.pressButton({ chatId: USER, userId: USER, messageId, data: buttonsOf(list)[0]?.callback_data ?? '' });
  const answer = await h.fake.waitFor('answerCallbackQuery');
  assert.match(String(answer.params['text']), /expired/);
  // Real time on purpose: the bot polls the fake over a real socket; 50 ms lets a wrong extra call arrive.
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(h.inbound.length, 1);
});

test('a second press of the same button while the first runs is a no-op', async (t) => {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((r) => {
    release = r;
  });
  const h = await startHarness(t, async (inbound) => {
    if (inbound.event.type === 'button') await gate;
    return { reply: inbound.event.type === 'button' ? reply.text('clip') : clipList };
  });
  await h.frontEnd.start();
  h.fake.sendUserMessage({ chatId: USER, text: '/clips' });
  const list = await h.fake.waitFor('sendMessage');
  const messageId = messageIdOf(list);
  const data = buttonsOf(list)[0]?.callback_data ?? '';
  h.fake.pressButton({ chatId: USER, userId: USER, messageId, data });
  await h.fake.waitFor('answerCallbackQuery');
  h.fake.pressButton({ chatId: USER, userId: USER, messageId, data });
  await h.fake.waitFor('answerCallbackQuery');
  release();
  await h.fake.waitFor('sendMessage');
  // Real time on purpose (short): a wrong extra call would reach the fake over its real socket
  // within 50 ms, and nothing the bot does marks that none comes.
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(h.inbound.filter((i) => i.event.type === 'button').length, 1);
  // Once it is done, the button works again.
  h.fake.pressButton({ chatId: USER, userId: USER, messageId, data });
  await until(() => h.inbound.filter((i) => i.event.type === 'button').length === 2, 'the second press');
});

test('a button that needs typed input tells the user how to send it', async (t) => {
  const h = await startHarness(t, () => ({
    reply: reply.text('Blink sent a code', [
      [{ label: 'Enter code', action: { command: 'pin', args: {} }, input: { name: 'code', label: 'Code', secret: true } }],
    ]),
  }));
  await h.frontEnd.start();
  h.fake.sendUserMessage({ chatId: USER, text: '/login' });
  const prompt = await h.fake.waitFor('sendMessage');
  const messageId = messageIdOf(prompt);
  h.fake.pressButton({ chatId: USER, userId: USER, messageId, data: buttonsOf(prompt)[0]?.callback_data ?? '' });
  await h.fake.waitFor('answerCallbackQuery');
  const hint = await h.fake.waitFor('sendMessage');
  assert.equal(hint.params['text'], 'Type the code, or send /pin <code>');
  assert.equal(h.inbound.length, 1);
});
