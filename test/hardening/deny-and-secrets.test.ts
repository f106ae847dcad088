/**
 * Access over the whole bot (createApp + simulator + fake Telegram), issue "Trust" points
 * 1-3: /deny stops everything at once and tells the owner once; a chat taken off the
 * allowlist while its alert waits gets nothing; a password that looks like a command is
 * the password, its message deleted before any Blink request, "deleted" said only when
 * Telegram confirmed it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ADMIN, EMAIL, GROUP, OWNER, PASSWORD, startApp, textOfCall, type AppHarness } from './app-harness.js';
import { until } from '../helpers/until.js';
import type { RecordedCall } from '../helpers/fake-telegram/index.js';

const FRONT_DOOR = 4001;
const SENDS = new Set(['sendMessage', 'sendVideo', 'sendPhoto', 'sendMediaGroup']);
const sentTo = (h: AppHarness, chatId: number, since = 0): RecordedCall[] =>
  h.fake.calls.filter((c) => c.seq > since && SENDS.has(c.method) && Number(c.params['chat_id']) === chatId && c.response.ok);
const lastSeq = (h: AppHarness): number => h.fake.calls.at(-1)?.seq ?? 0;
const sessionId = (h: AppHarness): string => {
  const id = h.app.repos.sessions.getByOwner(`tg:${OWNER}`)?.id;
  assert.ok(id, 'the owner is logged in');
  return id;
};

test('/deny of a linked group: no alert or reply there any more, its link is gone, the owner is told once in private', async (t) => {
  const h = await startApp(t);
  await h.login();
  await h.command(OWNER, '/link', GROUP);
  h.sim.addClip({ cameraId: FRONT_DOOR, source: 'pir', size: 4000 });
  await h.app.alerts.pollNow(sessionId(h));
  await until(() => sentTo(h, GROUP).some((c) => c.method === 'sendVideo'), 'the first alert in the group');

  const since = lastSeq(h);
  const answer = await h.say(ADMIN, `/deny tg:${GROUP}`);
  assert.match(textOfCall(answer), /no longer allowed/);
  assert.equal(h.app.repos.links.get(`tg:${GROUP}`), undefined, 'the link is removed');

  h.sim.addClip({ cameraId: FRONT_DOOR, source: 'pir', size: 4100 });
  await h.app.alerts.pollNow(sessionId(h));
  await h.app.alerts.flush();
  await h.app.alerts.flush();
  await until(() => sentTo(h, OWNER, since).some((c) => c.method === 'sendVideo'), 'the second alert in the private chat');
  assert.deepEqual(
    sentTo(h, GROUP, since).map((c) => c.method),
    [],
    'nothing reached the denied group',
  );
  const told = sentTo(h, OWNER, since).filter((c) => textOfCall(c).includes(`tg:${GROUP}`));
  assert.equal(told.length, 1, 'the owner is told once, in the private chat');
  assert.match(textOfCall(told[0]), /removed .* from the allowlist/);
});

test('a chat taken off the allowlist while its alert waits in the outbox gets nothing (checked at send time)', async (t) => {
  const h = await startApp(t);
  await h.login();
  await h.command(OWNER, '/link', GROUP);
  // The group's send fails once, so its alert waits in the outbox for a retry.
  h.fake.failNext({ method: 'sendVideo', chatId: GROUP, errorCode: 429, retryAfter: 3600 });
  const since = lastSeq(h);
  h.sim.addClip({ cameraId: FRONT_DOOR, source: 'pir', size: 4000 });
  await h.app.alerts.pollNow(sessionId(h));
  await until(() => sentTo(h, OWNER, since).some((c) => c.method === 'sendVideo'), 'the alert in the private chat');
  const pending = h.app.repos.outbox.countByState().pending;
  assert.ok(pending >= 1, 'the group alert waits');
  // Removed from the allowlist behind the bot's back (the link is still there).
  h.app.repos.allowlist.remove(`tg:${GROUP}`);
  h.app.db.prepare('UPDATE outbox SET next_attempt_at = 0 WHERE state = ?').run('pending');
  await h.app.alerts.flush();
  assert.deepEqual(
    sentTo(h, GROUP, since).map((c) => c.method),
    [],
    'nothing reached the chat',
  );
  assert.equal(h.app.repos.outbox.countByState().pending, 0, 'the waiting alert was dropped, not kept for later');
});

test('a password that looks like a command (/Secret123) is the password: deleted before any Blink request, never echoed or logged', async (t) => {
  let deletesAtFirstBlinkRequest: number | undefined;
  let armed = false;
  let fake: AppHarness['fake'] | undefined;
  const h = await startApp(t, {
    sim: {
      onRequest: () => {
        if (armed && deletesAtFirstBlinkRequest === undefined) {
          deletesAtFirstBlinkRequest = fake?.calls.filter((c) => c.method === 'deleteMessage').length;
        }
      },
    },
  });
  fake = h.fake;
  h.sim.addAccount({ email: 'slash@example.com', password: '/Secret123' });
  await h.say(OWNER, '/login');
  await h.say(OWNER, 'slash@example.com');
  armed = true;
  const done = await h.say(OWNER, '/Secret123');
  const lastToOwner = () => h.fake.calls.filter((c) => c.method === 'sendMessage' && Number(c.params['chat_id']) === OWNER).at(-1);
  const final = await until(() => /Logged in/.test(textOfCall(lastToOwner())) && lastToOwner(), 'logged in');
  assert.ok(done);
  assert.match(textOfCall(final), /I deleted your password message/);
  assert.equal(deletesAtFirstBlinkRequest, 1, 'the message was deleted before the first Blink request of the login');
  const produced = JSON.stringify(h.fake.calls.filter((c) => c.method !== 'getUpdates').map((c) => c.params)) + h.logLines.join('');
  assert.equal(produced.toLowerCase().includes('secret123'), false, 'never echoed, never logged (debug included)');
});

test('when Telegram refuses to delete the password message the reply says so instead of "deleted"', async (t) => {
  const h = await startApp(t);
  await h.say(OWNER, '/login');
  await h.say(OWNER, EMAIL);
  h.fake.failNext({ method: 'deleteMessage', errorCode: 400, description: "Bad Request: message can't be deleted" });
  await h.say(OWNER, PASSWORD);
  const reply = await until(() => h.fake.calls.filter((c) => c.method === 'sendMessage' && /Logged in/.test(textOfCall(c))).at(-1), 'logged in');
  assert.doesNotMatch(textOfCall(reply), /I deleted/);
  assert.match(textOfCall(reply), /please delete it yourself/);
});
