import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createManualClock } from '../../src/clock.js';
import { createActionStore, MAX_TOKEN_LENGTH } from '../../src/core/action-store.js';
import { actionToken, buttonId, inputModalId } from '../../src/discord/modals.js';
import { callbackData, callbackToken } from '../../src/telegram/map-update.js';

test('tokens are short enough for Telegram callback_data and Discord custom_id, whatever the arguments', () => {
  const store = createActionStore({ clock: createManualClock() });
  const token = store.put({ command: 'localclip', args: { clip: 'x'.repeat(200) } }, 'tg:5');
  assert.match(token, /^[A-Za-z0-9_-]+$/);
  assert.ok(token.length <= MAX_TOKEN_LENGTH);
  assert.ok(Buffer.byteLength(callbackData(token)) <= 64);
  assert.ok(buttonId(token).length <= 100 && inputModalId(token).length <= 100);
  assert.equal(callbackToken(callbackData(token)), token);
  assert.equal(actionToken(buttonId(token)), token);
  assert.equal(actionToken(inputModalId(token)), token);
  assert.equal(store.get(token, 'tg:5')?.args['clip'], 'x'.repeat(200));
});

test('an action is bound to its chat, expires, and the oldest go past the cap', () => {
  const clock = createManualClock();
  const store = createActionStore({ clock, ttlMs: 1000, maxEntries: 3 });
  const first = store.put({ command: 'clip', args: { clip: '1' } }, 'dc:1', { name: 'code', label: 'Code' });
  assert.deepEqual(store.get(first, 'dc:1')?.input, { name: 'code', label: 'Code' });
  assert.equal(store.get(first, 'dc:2'), undefined, 'another chat');
  assert.equal(store.get('unknown', 'dc:1'), undefined);
  for (let i = 0; i < 5; i++) store.put({ command: 'clip', args: { clip: String(i) } }, 'dc:1');
  assert.equal(store.size(), 3);
  assert.equal(store.get(first, 'dc:1'), undefined, 'evicted as the oldest');
  const fresh = store.put({ command: 'clip', args: {} }, 'dc:1');
  clock.set(clock.now() + 999);
  assert.ok(store.get(fresh, 'dc:1'));
  clock.set(clock.now() + 1);
  assert.equal(store.get(fresh, 'dc:1'), undefined, 'expired');
});

test('a stored action is a copy: changing the button afterwards changes nothing', () => {
  const store = createActionStore({ clock: createManualClock() });
  const args = { clip: '1' };
  const token = store.put({ command: 'clip', args }, 'tg:1');
  args.clip = '2';
  assert.equal(store.get(token, 'tg:1')?.args['clip'], '1');
});

test('single press: a token is claimed once until released', () => {
  const store = createActionStore({ clock: createManualClock() });
  const token = store.put({ command: 'arm', args: {} }, 'tg:1');
  assert.equal(store.claim(token), true);
  assert.equal(store.claim(token), false, 'a second press while the first runs');
  store.release(token);
  assert.equal(store.claim(token), true);
});

test('a token source that would not fit is refused', () => {
  const store = createActionStore({ clock: createManualClock(), newToken: () => 'x'.repeat(13) });
  assert.throws(() => store.put({ command: 'arm', args: {} }, 'tg:1'), RangeError);
});

test("tokens are capped per chat: one user asking for button after button cannot expire another chat's", () => {
  const clock = createManualClock(0);
  const store = createActionStore({ clock, maxEntries: 1000, maxPerUser: 50 });
  const theirs = store.put({ command: 'clip', args: { clip: '1' } }, 'tg:2');
  const mine = Array.from({ length: 500 }, (_, i) => store.put({ command: 'clip', args: { clip: String(i) } }, 'tg:1'));
  assert.ok(store.get(theirs, 'tg:2'), "the other chat's button still works");
  assert.equal(store.get(mine[0] ?? '', 'tg:1'), undefined, "the flooder's oldest went first");
  assert.ok(store.get(mine.at(-1) ?? '', 'tg:1'));
  assert.equal(store.size(), 51);
});

test("tokens are capped per user within a shared group: a member flooding /clips does not expire the alert buttons or another member's", () => {
  const clock = createManualClock(0);
  const store = createActionStore({ clock, maxEntries: 1000, maxPerUser: 50 });
  const group = 'tg:-100';
  const alertButton = store.put({ command: 'disarm', args: {} }, group);
  const aliceButton = store.put({ command: 'clip', args: { clip: '1' }, requestedBy: 'tg:11' }, group);
  const bob = Array.from({ length: 500 }, (_, i) => store.put({ command: 'clip', args: { clip: String(i) }, requestedBy: 'tg:12' }, group));
  assert.ok(store.get(alertButton, group), "the alert's button still works");
  assert.equal(store.get(aliceButton, group)?.requestedBy, 'tg:11', "another member's button still works");
  assert.equal(store.get(bob[0] ?? '', group), undefined, "the flooder's oldest went first");
  assert.ok(store.get(bob.at(-1) ?? '', group));
  assert.equal(store.size(), 52);
});
