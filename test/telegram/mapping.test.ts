import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeAndSplit, escapeCaption, escapeHtml } from '../../src/telegram/html.js';
import { callbackData, callbackToken, eventFromText, telegramChatId } from '../../src/telegram/map-update.js';

test('escapeHtml escapes &, < and >', () => {
  assert.equal(escapeHtml('a<b>&c'), 'a&lt;b&gt;&amp;c');
});

test('long text is split at line breaks into chunks within the limit, never inside an entity', () => {
  const text = Array.from({ length: 50 }, (_, i) => `clip ${i} <&>`).join('\n');
  const chunks = escapeAndSplit(text, 100);
  assert.ok(chunks.length > 1);
  for (const c of chunks) assert.ok(c.length <= 100);
  assert.equal(chunks.join('\n'), escapeHtml(text));
  const hard = escapeAndSplit('&'.repeat(30), 12);
  for (const c of hard) assert.match(c, /^(&amp;)+$/);
  assert.ok(escapeCaption('x'.repeat(5000)).length <= 1024);
});

test('commands: name lower-cased, bot suffix stripped, args trimmed; other bots ignored', () => {
  assert.deepEqual(eventFromText('/Motion@Blink_Bot Porch on', 'blink_bot'), {
    type: 'command',
    name: 'motion',
    text: 'Porch on',
    raw: '/Motion@Blink_Bot Porch on',
  });
  assert.deepEqual(eventFromText('/status', 'blink_bot'), { type: 'command', name: 'status', raw: '/status' });
  assert.equal(eventFromText('/status@other_bot', 'blink_bot'), undefined);
  assert.deepEqual(eventFromText('123456', 'blink_bot'), { type: 'text', text: '123456' });
  assert.equal(telegramChatId('tg:-100123'), -100123);
  assert.equal(telegramChatId('dc:5'), undefined);
});

test('callback data: a: plus the action token, within 64 bytes; anything else is not ours', () => {
  const data = callbackData('abcdefghijkl');
  assert.ok(Buffer.byteLength(data) <= 64);
  assert.equal(callbackToken(data), 'abcdefghijkl');
  assert.equal(callbackToken('x:abc'), undefined);
});
