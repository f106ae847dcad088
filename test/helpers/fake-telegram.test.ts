import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { Bot, GrammyError, HttpError, InlineKeyboard, InputFile } from 'grammy';
import { startFakeTelegram, type FakeTelegram } from './fake-telegram/index.js';
import { parseMultipart } from './fake-telegram/multipart.js';
import { until } from './until.js';

async function fakeFor(t: TestContext, options: Parameters<typeof startFakeTelegram>[0] = {}): Promise<FakeTelegram> {
  const fake = await startFakeTelegram(options);
  t.after(() => fake.close());
  return fake;
}

/**
 * A fake plus a grammY bot on long polling against it. One `after` hook stops the bot
 * and then closes the fake (hooks run in order, so two hooks would close the fake first).
 */
async function pollingBot(t: TestContext, setup: (bot: Bot) => void): Promise<{ fake: FakeTelegram; bot: Bot }> {
  const fake = await startFakeTelegram();
  const bot = new Bot(fake.token, { client: { apiRoot: fake.apiRoot } });
  await bot.init(); // getMe from the fake
  setup(bot);
  bot.catch((err) => {
    throw err.error;
  });
  let onStart: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (onStart = resolve));
  const running = bot.start({ timeout: 30, onStart: () => onStart() });
  t.after(async () => {
    if (bot.isRunning()) await bot.stop();
    await running;
    await fake.close();
  });
  await started;
  return { fake, bot };
}

function messageIdOf(result: unknown): number {
  if (typeof result === 'object' && result !== null && 'message_id' in result && typeof result.message_id === 'number') {
    return result.message_id;
  }
  throw new Error(`no message_id in ${JSON.stringify(result)}`);
}

/** Builds a multipart body like grammY does (lower-case headers, unquoted filename). */
function multipartBody(boundary: string, file: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from(`--${boundary}\r\ncontent-disposition:form-data;name="chat_id"\r\n\r\n42\r\n--${boundary}\r\n`),
    Buffer.from(`content-disposition:form-data;name="abc";filename=my clip.mp4\r\ncontent-type:application/octet-stream\r\n\r\n`),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
}

test('/start reaches the bot over long polling and the reply is recorded', async (t) => {
  const { fake } = await pollingBot(t, (bot) => bot.command('start', (ctx) => ctx.reply(`hello ${ctx.from?.first_name ?? ''}`)));
  const chatId = 5_123_456_789;
  fake.sendUserMessage({ chatId, userId: chatId, text: '/start', firstName: 'Ann' });
  const call = await fake.waitFor('sendMessage');
  assert.equal(call.params['chat_id'], chatId);
  assert.equal(call.params['text'], 'hello Ann');
  assert.deepEqual(
    fake.messagesTo(chatId).map((m) => m['text']),
    ['hello Ann'],
  );
  assert.equal(fake.callsOf('getMe').length, 1);
  assert.equal(fake.callsOf('deleteWebhook').length, 1);
});

test('uploads from a Buffer and from a stream are recorded byte-exact, and file_id re-sends work', async (t) => {
  const fake = await fakeFor(t);
  const bot = new Bot(fake.token, { client: { apiRoot: fake.apiRoot } });
  const chatId = -1_001_234_567_890;
  const photo = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7) % 256));
  const video = Buffer.alloc(300_000, 0x2d); // dashes: bytes that look like a boundary start
  video.write('\r\n--', 1000);

  const sentPhoto = await bot.api.sendPhoto(chatId, new InputFile(photo, 'snap.jpg'), { caption: 'Front door' });
  const sentVideo = await bot.api.sendVideo(chatId, new InputFile(Readable.from([video.subarray(0, 1), video.subarray(1)])), {
    width: 1920,
    height: 1080,
    duration: 30,
  });

  const [photoCall, videoCall] = [fake.callsOf('sendPhoto')[0], fake.callsOf('sendVideo')[0]];
  assert.ok(photoCall && videoCall);
  assert.equal(photoCall.transport, 'multipart');
  assert.equal(photoCall.files[0]?.param, 'photo');
  assert.equal(photoCall.files[0]?.filename, 'snap.jpg');
  assert.ok(photoCall.files[0]?.bytes?.equals(photo));
  assert.equal(photoCall.params['caption'], 'Front door');
  assert.equal(photoCall.params['chat_id'], chatId);
  assert.ok(videoCall.files[0]?.bytes?.equals(video));
  assert.equal(videoCall.files[0]?.size, video.length);
  assert.ok((videoCall.files[0]?.firstByteAt ?? Infinity) <= videoCall.at);
  assert.equal(sentVideo.video?.file_size, video.length);
  assert.equal(sentVideo.video?.width, 1920);

  const largest = sentPhoto.photo?.at(-1);
  assert.ok(largest);
  assert.equal(largest.file_size, photo.length);
  const again = await bot.api.sendPhoto(chatId, largest.file_id);
  const resend = fake.callsOf('sendPhoto')[1];
  assert.equal(resend?.transport, 'json');
  assert.deepEqual(resend?.media, [{ param: 'photo', source: 'file_id', fileId: largest.file_id }]);
  assert.equal(resend?.files.length, 0);
  assert.equal(again.photo?.at(-1)?.file_unique_id, largest.file_unique_id);

  await assert.rejects(
    bot.api.sendVideo(chatId, 'BAACAgQAAxkDAAInvented'),
    (err: unknown) => err instanceof GrammyError && err.error_code === 400 && /wrong file identifier/.test(err.description),
  );
  await assert.rejects(bot.api.sendVideo(chatId, largest.file_id), (err: unknown) => err instanceof GrammyError && /Photo as Video/.test(err.description));
  assert.equal(fake.messagesTo(chatId).length, 3);
});

test('a button press reaches the callbackQuery handler and the answer is recorded', async (t) => {
  const seen: string[] = [];
  const { fake } = await pollingBot(t, (bot) => {
    bot.command('clips', (ctx) => ctx.reply('Clips', { reply_markup: new InlineKeyboard().text('Send 123', 'clip:123') }));
    bot.callbackQuery(/^clip:(\d+)$/, async (ctx) => {
      seen.push(ctx.match[1] ?? '');
      await ctx.answerCallbackQuery({ text: 'Sending…' });
    });
  });
  const userId = 6_000_000_001;
  fake.sendUserMessage({ chatId: userId, userId, text: '/clips' });
  const reply = await fake.waitFor('sendMessage');
  const messageId = messageIdOf(reply.response.ok ? reply.response.result : undefined);
  assert.throws(() => fake.pressButton({ chatId: userId, userId, messageId, data: 'clip:999' }), /no button/);
  const queryId = fake.pressButton({ chatId: userId, userId, messageId, data: 'clip:123' });
  const answer = await fake.waitFor('answerCallbackQuery');
  assert.equal(answer.params['callback_query_id'], queryId);
  assert.equal(answer.params['text'], 'Sending…');
  assert.ok(answer.response.ok);
  assert.deepEqual(seen, ['123']);
});

test('failNext: grammY sees a GrammyError with retry_after, then the call succeeds', async (t) => {
  const fake = await fakeFor(t);
  const bot = new Bot(fake.token, { client: { apiRoot: fake.apiRoot } });
  fake.failNext({ method: 'sendMessage', errorCode: 429, retryAfter: 7 });
  fake.failNext({ method: 'sendMessage', chatId: 99, errorCode: 403 });
  await assert.rejects(
    bot.api.sendMessage(1, 'x'),
    (err: unknown) =>
      err instanceof GrammyError && err.error_code === 429 && err.parameters.retry_after === 7 && err.description === 'Too Many Requests: retry after 7',
  );
  await assert.rejects(
    bot.api.sendMessage(99, 'x'),
    (err: unknown) => err instanceof GrammyError && err.error_code === 403 && err.description === 'Forbidden: bot was blocked by the user',
  );
  const ok = await bot.api.sendMessage(1, 'x');
  assert.equal(ok.text, 'x');
  assert.equal(fake.callsOf('sendMessage')[0]?.injected, 'fail');
  assert.equal(fake.messagesTo(1).length, 1);
});

test('editMessageText, editMessageReplyMarkup and deleteMessage are reflected in messagesTo', async (t) => {
  const fake = await fakeFor(t);
  const bot = new Bot(fake.token, { client: { apiRoot: fake.apiRoot } });
  const chatId = 5_555_555_555;
  const first = await bot.api.sendMessage(chatId, '<b>Arming</b> Home', { parse_mode: 'HTML', reply_markup: new InlineKeyboard().text('x', 'x') });
  const second = await bot.api.sendMessage(chatId, 'temp');
  assert.equal(first.text, 'Arming Home');
  await bot.api.editMessageText(chatId, first.message_id, 'Armed Home');
  await assert.rejects(bot.api.editMessageText(chatId, first.message_id, 'Armed Home'), /message is not modified/);
  await bot.api.editMessageReplyMarkup(chatId, first.message_id, { reply_markup: new InlineKeyboard().text('y', 'y') });
  await bot.api.deleteMessage(chatId, second.message_id);
  await assert.rejects(bot.api.deleteMessage(chatId, second.message_id), /message to delete not found/);
  const visible = fake.messagesTo(chatId);
  assert.equal(visible.length, 1);
  assert.equal(visible[0]?.['text'], 'Armed Home');
  assert.deepEqual(visible[0]?.['reply_markup'], { inline_keyboard: [[{ text: 'y', callback_data: 'y' }]] });
  assert.equal(typeof visible[0]?.['edit_date'], 'number');
  await assert.rejects(bot.api.sendMessage(chatId, 'a <camera> name', { parse_mode: 'HTML' }), /can't parse entities/);
});

test('getUpdates holds until an update arrives, confirms offsets, and close answers [] at once', async (t) => {
  const fake = await fakeFor(t);
  const bot = new Bot(fake.token, { client: { apiRoot: fake.apiRoot } });
  const pending = bot.api.getUpdates({ timeout: 10 });
  await until(() => fake.pollHeld(), 'the long poll held at the fake');
  fake.sendUserMessage({ userId: 5_000_000_123, text: 'hi', chatType: 'private' });
  // The update itself, not the 10 s time-out's empty answer: no wall-clock bound needed.
  const updates = await pending;
  assert.equal(updates.length, 1);
  const id = updates[0]?.update_id ?? 0;
  assert.equal((await bot.api.getUpdates({ offset: id, timeout: 0 })).length, 1, 'not confirmed yet');
  assert.equal((await bot.api.getUpdates({ offset: id + 1, timeout: 0 })).length, 0, 'confirmed');
  assert.equal(fake.pendingUpdates(), 0);

  const held = bot.api.getUpdates({ offset: id + 1, timeout: 30 });
  await until(() => fake.pollHeld(), 'the second long poll held at the fake');
  let answered: unknown;
  void held.then((updates) => (answered = updates));
  await fake.close();
  // Answered by the close, well before the poll's own 30 s time-out would answer it.
  assert.deepEqual(await until(() => answered, 'the held poll answered on close'), []);
});

test('a newer getUpdates ends the older with 409; conflictGetUpdates stops grammY polling', async (t) => {
  const fake = await fakeFor(t);
  const bot = new Bot(fake.token, { client: { apiRoot: fake.apiRoot } });
  const older = bot.api.getUpdates({ timeout: 10 });
  await until(() => fake.pollHeld(), 'the older long poll held at the fake');
  const newer = bot.api.getUpdates({ timeout: 0 });
  await assert.rejects(older, (err: unknown) => err instanceof GrammyError && err.error_code === 409);
  assert.deepEqual(await newer, []);

  const polling = new Bot(fake.token, { client: { apiRoot: fake.apiRoot } });
  await polling.init();
  let onStart: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (onStart = resolve));
  const running = polling.start({ onStart: () => onStart() });
  await started;
  await fake.waitFor((c) => c.method === 'deleteWebhook');
  await until(() => fake.pollHeld(), "grammY's long poll held at the fake");
  fake.conflictGetUpdates();
  await assert.rejects(running, (err: unknown) => err instanceof GrammyError && err.error_code === 409);
});

test('resetConnectionNext destroys the socket; "after" applies the call but loses the answer', async (t) => {
  const fake = await fakeFor(t);
  const bot = new Bot(fake.token, { client: { apiRoot: fake.apiRoot } });
  fake.resetConnectionNext('sendMessage');
  await assert.rejects(bot.api.sendMessage(7, 'lost'), (err: unknown) => err instanceof HttpError);
  assert.equal(fake.messagesTo(7).length, 0);
  fake.resetConnectionNext('sendMessage', { when: 'after' });
  await assert.rejects(bot.api.sendMessage(7, 'sent anyway'), (err: unknown) => err instanceof HttpError);
  assert.deepEqual(
    fake.messagesTo(7).map((m) => m['text']),
    ['sent anyway'],
  );
  assert.deepEqual(
    fake.callsOf('sendMessage').map((c) => c.injected),
    ['reset', 'reset'],
  );
});

test('waitFor rejects on timeout with the recent calls listed', async (t) => {
  const fake = await fakeFor(t);
  const bot = new Bot(fake.token, { client: { apiRoot: fake.apiRoot } });
  await bot.api.sendMessage(3, 'only this');
  await assert.rejects(fake.waitFor('sendVideo', { timeoutMs: 50 }), /no a sendVideo call within 50 ms[\s\S]*sendMessage chat=3 "only this" ok/);
});

test('the multipart parser survives every chunk split and can count without keeping bytes', async () => {
  const boundary = '----------abc123';
  const file = Buffer.from('hello\r\n----------abc12 not yet\r\n--');
  const body = multipartBody(boundary, file);
  for (let split = 1; split < body.length; split++) {
    const parsed = await parseMultipart(Readable.from([body.subarray(0, split), body.subarray(split)]), boundary);
    assert.equal(parsed.fields.get('chat_id'), '42');
    assert.equal(parsed.files[0]?.filename, 'my clip.mp4', `split ${split}`);
    assert.ok(parsed.files[0]?.bytes?.equals(file), `split ${split}`);
  }
  const counted = await parseMultipart(Readable.from([body]), boundary, { keepFileBytes: false });
  assert.equal(counted.files[0]?.bytes, undefined);
  assert.equal(counted.files[0]?.size, file.length);
  await assert.rejects(parseMultipart(Readable.from([body.subarray(0, 60)]), boundary), /body ended/);
});

test('count-only mode takes a large upload, and the upload limit answers 413', async (t) => {
  const fake = await fakeFor(t, { keepFileBytes: false, maxUploadBytes: 4 * 1024 * 1024 });
  const bot = new Bot(fake.token, { client: { apiRoot: fake.apiRoot } });
  const big = Buffer.alloc(3 * 1024 * 1024, 1);
  await bot.api.sendVideo(1, new InputFile(big, 'a.mp4'));
  const file = fake.callsOf('sendVideo')[0]?.files[0];
  assert.equal(file?.size, big.length);
  assert.equal(file?.bytes, undefined);
  await assert.rejects(
    bot.api.sendVideo(1, new InputFile(Buffer.alloc(5 * 1024 * 1024), 'b.mp4')),
    (err: unknown) => err instanceof GrammyError && err.error_code === 413,
  );
});

test('main.ts runs as a process with /__fake control routes and stops on SIGTERM', async (t) => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/fake-telegram/main.ts'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  t.after(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const lines = createInterface({ input: child.stdout });
  const [line] = (await once(lines, 'line')) as [string];
  const info: unknown = JSON.parse(line);
  assert.ok(typeof info === 'object' && info !== null && 'apiRoot' in info && 'token' in info);
  const { apiRoot, token } = info;
  assert.ok(typeof apiRoot === 'string' && typeof token === 'string');
  const post = async (path: string, body: unknown): Promise<unknown> =>
    (await fetch(`${apiRoot}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json();

  const waiting = post('/__fake/waitFor', { method: 'sendMessage', timeoutMs: 5000 });
  const bot = new Bot(token, { client: { apiRoot } });
  await bot.api.sendMessage(12345, 'from bench');
  const waited = await waiting;
  assert.ok(typeof waited === 'object' && waited !== null && 'call' in waited);
  assert.match(JSON.stringify(waited.call), /"text":"from bench"/);
  const sent = await post('/__fake/sendUserMessage', { userId: 12345, text: '/status' });
  assert.ok(typeof sent === 'object' && sent !== null && 'message_id' in sent);
  assert.equal((await bot.api.getUpdates({ timeout: 1 })).length, 1);

  child.kill('SIGTERM');
  const [code] = await once(child, 'exit');
  assert.equal(code, 0);
});
