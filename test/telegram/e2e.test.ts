/**
 * The contract journey through the real stack: fake Telegram ⇄ grammY front end ⇄ real
 * dispatcher, SQLite (temp file, real migrations) and the Blink simulator.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createSilentLogger } from '../../src/log.js';
import { telegramCommandMenu } from '../../src/core/registry.js';
import { createTelegramFrontEnd } from '../../src/telegram/front-end.js';
import { startFakeTelegram, type RecordedCall } from '../helpers/fake-telegram/index.js';
import { createHarness, EMAIL, PASSWORD } from '../core/harness.js';
import { botInfoOf, buttonsOf, messageIdOf } from './harness.js';

const OWNER = 100; // the core harness's OWNER is tg:100
const MEMBER = 300;
const GROUP = -100200;
const STRANGER = 555;
const FRONT_DOOR = 4001;

test('the contract journey over Telegram, from a fresh database to /logout', async (t) => {
  const core = await createHarness(t);
  const fake = await startFakeTelegram();
  const frontEnd = createTelegramFrontEnd({
    token: fake.token,
    apiRoot: fake.apiRoot,
    dispatcher: core.dispatcher,
    commandMenu: telegramCommandMenu(),
    uploadLimitBytes: 50 * 1024 * 1024,
    log: createSilentLogger(),
    botInfo: botInfoOf(fake),
    throttle: false,
    retry: { baseDelayMs: 10 },
    onFatal: (err) => assert.fail(err),
  });
  t.after(async () => {
    await frontEnd.stop();
    await fake.close();
  });
  core.repos.allowlist.add(`tg:${OWNER}`, 'env', core.clock.now());
  core.repos.allowlist.add(`tg:${GROUP}`, 'env', core.clock.now());
  await frontEnd.start();

  const shown = (c: RecordedCall): string => String(c.params['text'] ?? c.params['caption'] ?? '');
  const isReply =
    (chatId: number) =>
    (c: RecordedCall): boolean =>
      c.params['chat_id'] === chatId && c.response.ok && ['sendMessage', 'editMessageText', 'sendPhoto', 'sendVideo'].includes(c.method);
  /** Sends `text` as the user and waits for a bot message matching `expected`. */
  const matches =
    (chatId: number, expected: RegExp, method?: string) =>
    (c: RecordedCall): boolean =>
      isReply(chatId)(c) && expected.test(shown(c)) && (method === undefined || c.method === method);
  const say = async (chatId: number, userId: number, text: string, expected: RegExp, method?: string): Promise<RecordedCall> => {
    const since = fake.calls.length;
    fake.sendUserMessage({ chatId, userId, text });
    return fake.waitFor(matches(chatId, expected, method), { since, timeoutMs: 15_000 });
  };
  const press = async (chatId: number, userId: number, list: RecordedCall, index: number, expected: RegExp, method?: string): Promise<RecordedCall> => {
    const since = fake.calls.length;
    const data = buttonsOf(list)[index]?.callback_data ?? '';
    fake.pressButton({ chatId, userId, messageId: messageIdOf(list), data });
    return fake.waitFor(matches(chatId, expected, method), { since, timeoutMs: 15_000 });
  };
  const sha = (b: Buffer | undefined): string =>
    createHash('sha256')
      .update(b ?? Buffer.alloc(0))
      .digest('hex');

  // /login with 2FA; the password message is deleted at once.
  core.sim.setTwoFactor(EMAIL, '412');
  await say(OWNER, OWNER, '/login', /email/i);
  await say(OWNER, OWNER, EMAIL, /password/i);
  const passwordMessageId = fake.sendUserMessage({ chatId: OWNER, userId: OWNER, text: PASSWORD });
  const asked = await fake.waitFor((c) => isReply(OWNER)(c) && /code/i.test(shown(c)), { timeoutMs: 15_000 });
  assert.ok(fake.callsOf('deleteMessage').some((c) => c.params['message_id'] === passwordMessageId && c.response.ok));
  assert.equal(
    fake.chatHistory(OWNER).some((m) => m['text'] === PASSWORD),
    false,
  );
  const hint = await press(OWNER, OWNER, asked, 0, /send \/pin <code>/);
  assert.equal(shown(hint), 'Type the 2FA code, or send /pin <code>');
  const pin = core.sim.currentPin(EMAIL) ?? '';
  await say(OWNER, OWNER, `/pin ${pin}`, /logged in|linked|Front Door/i);

  await say(OWNER, OWNER, '/status', /Home: armed[\s\S]*Front Door/);
  const disarmed = await say(OWNER, OWNER, '/disarm', /Home is disarmed/);
  assert.equal(disarmed.method, 'editMessageText', 'the working message becomes the answer');
  await say(OWNER, OWNER, '/arm', /Home is armed/);
  await say(OWNER, OWNER, '/motion porch off', /Motion detection on Porch is off/);

  const snap = await say(OWNER, OWNER, '/snap Front', /Front Door/, 'sendPhoto');
  assert.equal(snap.method, 'sendPhoto');
  assert.ok((snap.files[0]?.size ?? 0) > 0);

  const clipIds = [0, 1].map((i) => core.sim.addClip({ cameraId: FRONT_DOOR, createdAt: core.sim.now() - i * 1000 - 1000, size: 4096 }));
  const list = await say(OWNER, OWNER, '/clips', new RegExp(String(clipIds[0])));
  const fromButton = await press(OWNER, OWNER, list, 0, /Front Door/, 'sendVideo');
  assert.equal(fromButton.method, 'sendVideo');
  assert.equal(sha(fromButton.files[0]?.bytes), sha(core.sim.expectedClipBytes(Number(clipIds[0]))));
  const clip = await say(OWNER, OWNER, `/clip ${clipIds[1]}`, /Front Door/, 'sendVideo');
  assert.equal(clip.method, 'sendVideo');
  assert.equal(sha(clip.files[0]?.bytes), sha(core.sim.expectedClipBytes(Number(clipIds[1]))));

  const local = await say(OWNER, OWNER, '/local', /Local clips on Home/);
  const localVideo = await press(OWNER, OWNER, local, 0, /./, 'sendVideo');
  assert.equal(localVideo.method, 'sendVideo');
  assert.ok((localVideo.files[0]?.size ?? 0) > 0);
  // The newest line of /local (its first button): id, camera, recording time.
  const [, localId = '', localCamera = '', localTime = ''] = /^(\d+) {2}(.+?) {2}(.+)$/m.exec(shown(local)) ?? [];
  assert.ok(localId && localCamera && localTime);
  const localCaption = `${localCamera} · Home · ${localTime}`;
  assert.ok(String(localVideo.params['caption']).startsWith(localCaption), `button caption: ${String(localVideo.params['caption'])}`);
  const localClip = await say(OWNER, OWNER, `/localclip ${localId}`, new RegExp(localId), 'sendVideo');
  assert.ok((localClip.files[0]?.size ?? 0) > 0);
  assert.ok(String(localClip.params['caption']).startsWith(localCaption), `/localclip caption: ${String(localClip.params['caption'])}`);

  await say(OWNER, OWNER, '/alerts off', /alerts in this chat are off/);

  // A group: linked by the owner; another member cannot unlink it.
  await say(GROUP, OWNER, '/link', /now uses \S+ Blink session/);
  await say(GROUP, MEMBER, '/status', /Front Door/);
  await say(GROUP, MEMBER, '/unlink', /Only the member who linked/);
  assert.ok(core.repos.links.get(`tg:${GROUP}`));

  // A stranger: one reply naming the chat, and Blink hears nothing.
  core.sim.resetCounts();
  const before = fake.callsOf('sendMessage').filter((c) => c.params['chat_id'] === STRANGER).length;
  await say(STRANGER, STRANGER, '/status', new RegExp(`tg:${STRANGER}`));
  // Real time on purpose (short): a wrong extra call would reach the fake over its real socket
  // within 50 ms, and nothing the bot does marks that none comes.
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(fake.callsOf('sendMessage').filter((c) => c.params['chat_id'] === STRANGER).length, before + 1);
  assert.equal(core.sim.requestCounts().total, 0);

  await say(OWNER, OWNER, '/logout', /logged out|Logged out/i);
  assert.equal(core.repos.sessions.getByOwner(`tg:${OWNER}`), undefined);

  // The password never reached the database file (or its WAL).
  for (const file of [core.dbPath, `${core.dbPath}-wal`]) {
    if (existsSync(file)) assert.equal(readFileSync(file).includes(Buffer.from(PASSWORD)), false, file);
  }
});
