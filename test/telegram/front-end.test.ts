import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { createManualClock } from '../../src/clock.js';
import { createSilentLogger } from '../../src/log.js';
import { createTelegramFrontEnd } from '../../src/telegram/front-end.js';
import { reply } from '../../src/core/reply.js';
import { FALLBACK_ERROR_TEXT } from '../../src/core/user-error.js';
import { until } from '../helpers/until.js';
import { startHarness } from './harness.js';

const USER = 4242;

test('a command round trip: /status@bot args reaches the dispatcher and its reply comes back', async (t) => {
  const h = await startHarness(t, (inbound) => ({ reply: reply.text(`you said ${inbound.event.type}`) }));
  await h.frontEnd.start();
  h.fake.sendUserMessage({ chatId: USER, text: `/Status@${h.fake.botInfo.username} Home  ` });
  const sent = await h.fake.waitFor('sendMessage');
  assert.equal(sent.params['chat_id'], USER);
  assert.equal(sent.params['text'], 'you said command');
  const first = h.inbound[0];
  assert.deepEqual(first?.event, { type: 'command', name: 'status', text: 'Home', raw: '/Status@blink_test_bot Home  ' });
  assert.deepEqual(first?.chat, { id: `tg:${USER}`, platform: 'tg', kind: 'private' });
  assert.equal(first?.caller.id, `tg:${USER}`);
});

test('plain text is a text event, and a command for another bot is ignored', async (t) => {
  const h = await startHarness(t, () => ({ reply: reply.text('ok') }));
  await h.frontEnd.start();
  h.fake.sendUserMessage({ chatId: -555, userId: USER, text: '/status@some_other_bot' });
  h.fake.sendUserMessage({ chatId: -555, userId: USER, text: 'jane@example.com' });
  await h.fake.waitFor('sendMessage');
  assert.equal(h.inbound.length, 1);
  assert.deepEqual(h.inbound[0]?.event, { type: 'text', text: 'jane@example.com' });
  assert.equal(h.inbound[0]?.chat.kind, 'group');
  assert.equal(h.inbound[0]?.chat.id, 'tg:-555');
});

test('reply text is HTML-escaped: camera names with < and & arrive literally', async (t) => {
  const h = await startHarness(t, () => ({ reply: reply.text('Camera <Porch> & "Yard"') }));
  await h.frontEnd.start();
  h.fake.sendUserMessage({ chatId: USER, text: '/status' });
  const sent = await h.fake.waitFor('sendMessage');
  assert.equal(sent.params['parse_mode'], 'HTML');
  assert.equal(sent.params['text'], 'Camera &lt;Porch&gt; &amp; "Yard"');
  assert.equal(h.fake.messagesTo(USER).at(-1)?.['text'], 'Camera <Porch> & "Yard"');
});

test('deleteInbound deletes the user message that carried the secret', async (t) => {
  const h = await startHarness(t, () => ({ reply: reply.text('Checking with Blink…'), deleteInbound: true }));
  await h.frontEnd.start();
  const messageId = h.fake.sendUserMessage({ chatId: USER, text: 'hunter2' });
  const deleted = await h.fake.waitFor('deleteMessage');
  assert.equal(deleted.params['message_id'], messageId);
  assert.equal(deleted.response.ok, true);
  assert.equal(
    h.fake.chatHistory(USER).some((m) => m['text'] === 'hunter2'),
    false,
  );
});

test('silent replies carry disable_notification', async (t) => {
  const h = await startHarness(t, () => ({ reply: { ...reply.text('quiet'), silent: true } }));
  await h.frontEnd.start();
  h.fake.sendUserMessage({ chatId: USER, text: '/status' });
  const sent = await h.fake.waitFor('sendMessage');
  assert.equal(sent.params['disable_notification'], true);
});

test('progress: update sends a working message, edits it, and a text reply edits it once more', async (t) => {
  const h = await startHarness(t, async (inbound) => {
    await inbound.progress.update('Arming…');
    await inbound.progress.update('Waiting for Blink…');
    return { reply: reply.text('Home is armed') };
  });
  await h.frontEnd.start();
  h.fake.sendUserMessage({ chatId: USER, text: '/arm' });
  await until(() => h.fake.callsOf('editMessageText').length === 2, 'two edits');
  assert.equal(h.fake.callsOf('sendMessage').length, 1);
  const edits = h.fake.callsOf('editMessageText').map((c) => c.params['text']);
  assert.deepEqual(edits, ['Waiting for Blink…', 'Home is armed']);
  assert.deepEqual(
    h.fake.messagesTo(USER).map((m) => m['text']),
    ['Home is armed'],
  );
});

test('progress.action sends a chat action right away', async (t) => {
  const h = await startHarness(t, async (inbound) => {
    inbound.progress.action('upload_photo');
    // Right away: the action reaches Telegram while the command still runs, not with its reply.
    await until(() => h.fake.callsOf('sendChatAction').length > 0, 'the chat action while the command runs');
    return { reply: reply.text('done') };
  });
  await h.frontEnd.start();
  h.fake.sendUserMessage({ chatId: USER, text: '/snap Porch' });
  const action = await h.fake.waitFor('sendChatAction');
  assert.equal(action.params['action'], 'upload_photo');
  await h.fake.waitFor('sendMessage');
});

test('a dispatcher that throws gets one apology, and the bot keeps serving', async (t) => {
  let calls = 0;
  const h = await startHarness(t, () => {
    calls += 1;
    if (calls === 1) throw new Error('boom');
    return { reply: reply.text('fine') };
  });
  await h.frontEnd.start();
  h.fake.sendUserMessage({ chatId: USER, text: '/status' });
  const apology = await h.fake.waitFor('sendMessage');
  assert.equal(String(apology.params['text']), FALLBACK_ERROR_TEXT, 'the same words on every front end');
  h.fake.sendUserMessage({ chatId: USER, text: '/status' });
  const second = await h.fake.waitFor('sendMessage');
  assert.equal(second.params['text'], 'fine');
  assert.equal(h.fake.callsOf('sendMessage').length, 2);
});

test('messages of one chat are handled in order, one at a time', async (t) => {
  const order: string[] = [];
  let releaseFirst: () => void = () => undefined;
  const firstHeld = new Promise<void>((r) => (releaseFirst = r));
  const h = await startHarness(t, async (inbound) => {
    const text = inbound.event.type === 'text' ? inbound.event.text : '';
    order.push(`start ${text}`);
    if (text === 'first') await firstHeld;
    order.push(`end ${text}`);
    return { reply: reply.text(text) };
  });
  await h.frontEnd.start();
  h.fake.sendUserMessage({ chatId: USER, text: 'first' });
  h.fake.sendUserMessage({ chatId: USER, text: 'second' });
  // Both updates confirmed and the bot long-polling again: the second is in the bot's hands
  // while the first still runs; only then may the first finish.
  await until(() => h.fake.pendingUpdates() === 0 && h.fake.pollHeld(), 'both updates fetched');
  releaseFirst();
  await until(() => h.fake.callsOf('sendMessage').length === 2, 'both replies');
  assert.deepEqual(order, ['start first', 'end first', 'start second', 'end second']);
});

test('start sets the command menu from the registry', async (t) => {
  const h = await startHarness(t, () => ({ reply: reply.text('') }));
  await h.frontEnd.start();
  const menu = await h.fake.waitFor('setMyCommands');
  assert.deepEqual(menu.params['commands'], [{ command: 'status', description: 'Cameras and networks' }]);
});

test('polling uses message and callback_query updates and reports connected', async (t) => {
  const h = await startHarness(t, () => ({ reply: reply.text('x') }));
  assert.equal(h.frontEnd.connected(), false);
  await h.frontEnd.start();
  h.fake.sendUserMessage({ chatId: USER, text: '/status' });
  await h.fake.waitFor('sendMessage');
  // Long polls are recorded when answered: the first one carried the update.
  assert.deepEqual(h.fake.callsOf('getUpdates')[0]?.params['allowed_updates'], ['message', 'callback_query']);
  assert.equal(h.frontEnd.connected(), true);
});

test('stop() is prompt and confirms the update offset', async (t) => {
  const h = await startHarness(t, () => ({ reply: reply.text('x') }));
  await h.frontEnd.start();
  h.fake.sendUserMessage({ chatId: USER, text: '/status' });
  await h.fake.waitFor('sendMessage');
  const began = Date.now();
  await h.frontEnd.stop();
  assert.ok(Date.now() - began < 1000, `stop took ${Date.now() - began} ms`);
  assert.equal(h.fake.pendingUpdates(), 0);
  assert.equal(h.frontEnd.connected(), false);
});

test('409 Conflict on getUpdates calls onFatal once and does not spin', async (t) => {
  const h = await startHarness(t, () => ({ reply: reply.text('x') }));
  await h.frontEnd.start();
  h.fake.conflictGetUpdates();
  await until(() => h.fatal.length === 1, 'the fatal error');
  const pollsAfter = h.fake.callsOf('getUpdates').length;
  // Real time on purpose: a poll after the 409 would come over a real socket within 100 ms.
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(h.fake.callsOf('getUpdates').length, pollsAfter);
  assert.match(h.fatal[0]?.message ?? '', /409/);
});

for (const when of ['waiting to retry', 'in flight'] as const) {
  test(`stopping while Telegram is unreachable at start (a start-up call ${when}): no more start-up calls, start settles, nothing outlives the front end`, async (t) => {
    // A port that drops every connection (each Bot API call is a network error), or holds
    // them until the front end is stopping and then drops them.
    let connections = 0;
    let holding = when === 'in flight';
    const held = new Set<Socket>();
    const server = createServer((socket) => {
      connections++;
      if (holding) held.add(socket);
      else socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const address = server.address();
    assert.ok(address !== null && typeof address === 'object');
    const clock = createManualClock();
    const frontEnd = createTelegramFrontEnd({
      token: '123:abc',
      apiRoot: `http://127.0.0.1:${address.port}`,
      dispatcher: { handle: async () => ({ reply: reply.text('never') }) },
      commandMenu: [],
      uploadLimitBytes: 1024,
      log: createSilentLogger(),
      clock,
      throttle: false,
    });
    const started = frontEnd.start();
    started.catch(() => undefined);
    // getMe and setMyCommands reached the port (and failed, or hang there).
    await until(() => connections >= 2, 'the first start-up attempts');
    const stopped = frontEnd.stop();
    holding = false;
    for (const socket of held) socket.destroy();
    await stopped;
    await started;
    const after = connections;
    await clock.advance(120_000);
    await new Promise((r) => setTimeout(r, 300)); // grammY's own start-up retry waits 100 ms, then 200 ms, in real time
    assert.equal(connections, after, 'no start-up call after stop');
  });
}
