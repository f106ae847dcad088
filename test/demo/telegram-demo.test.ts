/**
 * `npm run demo -- --telegram` end to end against the fake Bot API: the one-time chat code,
 * login with the 2FA code printed on the terminal, /status, the Pictures album (real JPEGs)
 * and an alert video (a real MP4) with the clip's thumbnail as its cover.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import jpeg from 'jpeg-js';
import { startFakeTelegram, type RecordedCall } from '../helpers/fake-telegram/index.js';
import { probeVideo } from '../helpers/media-probe.js';
import { buttonsOf, messageIdOf } from '../telegram/harness.js';
import { spawnDemo } from './helpers.js';

const USER = 4242;
const STRANGER = 777;

test('npm run demo -- --telegram: code, login, status, pictures album, alert video with cover', async (t) => {
  const fake = await startFakeTelegram();
  t.after(() => fake.close());
  const demo = spawnDemo(t, ['--telegram'], { TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot });
  const [, code] = await demo.expect(/send your bot this code as a message: ([0-9]{6})/, 20_000);
  assert.ok(code);

  const shown = (c: RecordedCall): string => String(c.params['text'] ?? c.params['caption'] ?? '');
  const say = async (chatId: number, text: string, expected: RegExp, method = 'sendMessage|editMessageText'): Promise<RecordedCall> => {
    const since = fake.calls.length;
    fake.sendUserMessage({ chatId, userId: chatId, text });
    return fake.waitFor((c) => c.params['chat_id'] === chatId && c.response.ok && new RegExp(`^(${method})$`).test(c.method) && expected.test(shown(c)), {
      since,
      timeoutMs: 15_000,
    });
  };

  // Before the code, nobody is served.
  await say(USER, '/status', new RegExp(`tg:${USER}`));
  await say(USER, code, /may use the bot now[\s\S]*\/login/);
  await demo.expect(new RegExp(`tg:${USER} may use the bot now`));
  // The code is spent: another chat sending it is still refused.
  await say(STRANGER, `/start ${code}`, new RegExp(`tg:${STRANGER} is not allowed|This chat \\(tg:${STRANGER}\\)`));

  await say(USER, '/login', /email/i);
  await say(USER, 'owner@example.com', /password/i);
  const pinLine = demo.expect(/Blink sent code ([0-9]{6}) to owner@example\.com/);
  await say(USER, 'correct-horse-battery-staple', /code/i);
  const [, pin] = await pinLine;
  await say(USER, pin ?? '', /Logged in/);

  const status = await say(USER, '/status', /Home: armed[\s\S]*Front Door/);
  const pictures = buttonsOf(status).find((b) => b.text === 'Pictures');
  assert.ok(pictures, 'a Pictures button under /status');
  const messageId = messageIdOf(status);
  const since = fake.calls.length;
  fake.pressButton({ chatId: USER, userId: USER, messageId, data: pictures.callback_data });
  const album = await fake.waitFor((c) => c.method === 'sendMediaGroup' && c.response.ok, { since, timeoutMs: 15_000 });
  const items = Array.isArray(album.params['media']) ? album.params['media'] : [];
  assert.equal(items.length, 3);
  assert.deepEqual(
    items.map((i: { caption?: string }) => String(i.caption).split(' · ')[0]),
    ['Front Door', 'Living Room', 'Porch'],
  );
  for (const file of album.files) {
    assert.ok(file.bytes);
    assert.ok(jpeg.decode(file.bytes, { useTArray: true }).width > 0, 'each picture is a JPEG that decodes');
  }

  const alert = await fake.waitFor((c) => c.method === 'sendVideo' && c.response.ok && c.params['chat_id'] === USER, { timeoutMs: 20_000 });
  assert.match(shown(alert), /Motion: (Front Door|Living Room|Porch)/);
  const video = alert.files.find((f) => f.param === 'video');
  const cover = alert.files.find((f) => f.param === 'cover');
  assert.ok(video?.bytes && cover?.bytes, 'the video and its cover are uploaded');
  const probe = await probeVideo(video.bytes);
  assert.ok(probe.frames > 0 && probe.durationSeconds > 0, 'a playable MP4');
  assert.ok(jpeg.decode(cover.bytes, { useTArray: true }).width > 0, 'the cover is a JPEG');
  assert.doesNotMatch(demo.stdout(), /^\s+at /m, 'no stack trace on the terminal');
});
