/**
 * A password is data, never a command, and its message goes before any Blink call
 * (issue "Trust" points 2 and 3): while a login waits for the password or the 2FA code,
 * the next message is that value whatever it looks like; only an exact /login or /cancel
 * escapes. The reply says "deleted" only when the front end confirmed the deletion.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createHarness, EMAIL, OWNER, PASSWORD, textOf, type Harness } from './harness.js';

const SLASH_EMAIL = 'slash@example.com';
const SLASH_PASSWORD = '/Secret123';

async function waitingForPassword(h: Harness, email = SLASH_EMAIL): Promise<void> {
  h.repos.allowlist.add(OWNER, 'env', h.clock.now());
  await h.send(OWNER, OWNER, '/login');
  assert.match(textOf(await h.send(OWNER, OWNER, email)), /password/);
}

/** What Telegram's front end makes of the message `/Secret123`. */
const asCommand = (raw: string) => ({ type: 'command' as const, name: raw.slice(1).toLowerCase(), raw });

test('a password that looks like a command (/Secret123) is the password: logged in, never echoed, never logged, deleted first', async (t) => {
  const h = await createHarness(t);
  h.sim.addAccount({ email: SLASH_EMAIL, password: SLASH_PASSWORD });
  await waitingForPassword(h);
  const done = await h.event(OWNER, OWNER, asCommand(SLASH_PASSWORD));
  assert.match(textOf(done), /Logged in to Blink/);
  assert.doesNotMatch(textOf(done), /secret123/i, 'never echoed');
  assert.equal(h.logLines.join('').toLowerCase().includes('secret123'), false, 'never in the log, at debug level either');
  assert.equal(h.deletions.length, 1, 'the message was deleted');
});

test('the password message is deleted before any Blink request of the login', async (t) => {
  const h = await createHarness(t);
  await waitingForPassword(h, EMAIL);
  const before = h.sim.requestCounts().total;
  assert.match(textOf(await h.send(OWNER, OWNER, PASSWORD)), /I deleted your password message/);
  assert.deepEqual(h.deletions, [{ blinkRequestsBefore: before }], 'deleted while Blink had seen no request of this login');
  assert.ok(h.sim.requestCounts().total > before, 'then the login went to Blink');
});

test('when the deletion fails the reply says so and asks the user to delete it, never "deleted"', async (t) => {
  const h = await createHarness(t);
  await waitingForPassword(h, EMAIL);
  h.deleteSucceeds = false;
  const done = await h.send(OWNER, OWNER, PASSWORD);
  assert.match(textOf(done), /Logged in/);
  assert.doesNotMatch(textOf(done), /I deleted/);
  assert.match(textOf(done), /could not delete your password message: please delete it yourself/);
});

test('only an exact /login or /cancel escapes a password prompt; any other command is the password', async (t) => {
  const h = await createHarness(t);
  await waitingForPassword(h, EMAIL);
  // "/status" is taken as the password (Blink refuses it), not run as /status.
  const refused = await h.event(OWNER, OWNER, { type: 'command', name: 'status', raw: '/status' });
  assert.match(textOf(refused), /did not accept that email and password/);
  assert.equal(h.deletions.length, 1);
  // "/login hunter2" is not an exact /login: it is the password too.
  await h.send(OWNER, OWNER, EMAIL);
  const notRestart = await h.event(OWNER, OWNER, { type: 'command', name: 'login', text: 'hunter2', raw: '/login hunter2' });
  assert.doesNotMatch(textOf(notRestart), /email address of your Blink account/);
  assert.equal(h.deletions.length, 2);
  // An exact /cancel ends the login; the next message is an ordinary one again.
  await h.send(OWNER, OWNER, EMAIL);
  assert.match(textOf(await h.send(OWNER, OWNER, '/cancel')), /cancelled/i);
  assert.match(textOf(await h.send(OWNER, OWNER, PASSWORD)), /\/help/);
  assert.equal(h.deletions.length, 2);
  // An exact /login restarts.
  await h.send(OWNER, OWNER, '/login');
  await h.send(OWNER, OWNER, EMAIL);
  assert.match(textOf(await h.send(OWNER, OWNER, '/login')), /Starting over/);
});

test('during a pending 2FA other commands say "finish the login first (send the code)"; /pin and the code still work', async (t) => {
  const h = await createHarness(t);
  h.sim.setTwoFactor(EMAIL, '412');
  await waitingForPassword(h, EMAIL);
  assert.match(textOf(await h.send(OWNER, OWNER, PASSWORD)), /verification code/);
  const before = h.sim.requestCounts().total;
  const other = await h.send(OWNER, OWNER, '/status');
  assert.match(textOf(other), /Finish the login first: send the code/);
  assert.equal(h.sim.requestCounts().total, before, 'no Blink request');
  const pin = h.sim.currentPin(EMAIL);
  assert.ok(pin);
  assert.match(textOf(await h.send(OWNER, OWNER, `/pin ${pin}`)), /Logged in/);
});
