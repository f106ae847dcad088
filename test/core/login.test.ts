import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { buttonsOf, createHarness, EMAIL, groupChat, OWNER, PASSWORD, textOf } from './harness.js';

test('login without 2FA: email, password (deleted), then a summary; the private chat is linked with alerts on', async (t) => {
  const h = await createHarness(t);
  h.repos.allowlist.add(OWNER, 'env', h.clock.now());
  assert.match(textOf(await h.send(OWNER, OWNER, '/login')), /email/i);
  const afterEmail = await h.send(OWNER, OWNER, EMAIL);
  assert.match(textOf(afterEmail), /password/i);
  assert.notEqual(afterEmail.deleteInbound, true);
  const done = await h.send(OWNER, OWNER, PASSWORD);
  assert.equal(h.deletions.length, 1, 'the password message was deleted in place');
  assert.notEqual(done.deleteInbound, true);
  assert.match(textOf(done), /I deleted your password message/);
  assert.match(textOf(done), /Home/);
  assert.match(textOf(done), /Front Door, Living Room, Porch/);
  assert.equal(done.reply.private, true);
  const session = h.repos.sessions.getByOwner(OWNER);
  assert.equal(session?.state, 'linked');
  assert.equal(h.repos.links.get(OWNER)?.alertsEnabled, true);
  assert.equal(h.repos.audit.listRecent({ chat: OWNER })[0]?.action, 'login');
});

test('the password reaches neither the database file nor the log', async (t) => {
  const h = await createHarness(t);
  await h.login();
  assert.match(textOf(await h.send(OWNER, OWNER, '/status')), /Home/);
  const files = ['', '-wal'].map((suffix) => {
    try {
      return readFileSync(h.dbPath + suffix);
    } catch {
      return Buffer.alloc(0);
    }
  });
  for (const bytes of files) assert.equal(bytes.includes(Buffer.from(PASSWORD)), false);
  assert.equal(h.logLines.join('').includes(PASSWORD), false);
});

test('login with 2FA: a code button, a wrong code lets the user retry, then the right code', async (t) => {
  const h = await createHarness(t);
  h.sim.setTwoFactor(EMAIL, '412');
  h.repos.allowlist.add(OWNER, 'env', h.clock.now());
  await h.send(OWNER, OWNER, '/login');
  await h.send(OWNER, OWNER, EMAIL);
  const asked = await h.send(OWNER, OWNER, PASSWORD);
  assert.equal(h.deletions.length, 1, 'the password message was deleted');
  assert.match(textOf(asked), /verification code by SMS/);
  const button = buttonsOf(asked)[0];
  assert.deepEqual(button?.action, { command: 'pin', args: {}, requestedBy: OWNER });
  assert.deepEqual(button?.input, { name: 'code', label: '2FA code', secret: false });
  const pin = h.sim.currentPin(EMAIL);
  assert.ok(pin);
  const wrong = pin === '000000' ? '111111' : '000000';
  assert.match(textOf(await h.send(OWNER, OWNER, `/pin ${wrong}`)), /did not accept that code/);
  assert.equal(h.repos.sessions.getByOwner(OWNER), undefined);
  const done = await h.send(OWNER, OWNER, pin);
  assert.match(textOf(done), /Logged in/);
  assert.equal(h.repos.sessions.getByOwner(OWNER)?.state, 'linked');
});

test('a wrong password says so and restarts at the email', async (t) => {
  const h = await createHarness(t);
  h.repos.allowlist.add(OWNER, 'env', h.clock.now());
  await h.send(OWNER, OWNER, '/login');
  await h.send(OWNER, OWNER, EMAIL);
  const refused = await h.send(OWNER, OWNER, 'wrong-password');
  assert.equal(h.deletions.length, 1, 'the password message was deleted');
  assert.match(textOf(refused), /did not accept that email and password.*email/s);
  assert.match(textOf(await h.send(OWNER, OWNER, EMAIL)), /password/);
  assert.match(textOf(await h.send(OWNER, OWNER, PASSWORD)), /Logged in/);
});

test('a login attempt expires after 10 minutes and says so', async (t) => {
  const h = await createHarness(t);
  h.repos.allowlist.add(OWNER, 'env', h.clock.now());
  await h.send(OWNER, OWNER, '/login');
  await h.send(OWNER, OWNER, EMAIL);
  await h.clock.advance(10 * 60_000 + 1);
  const late = await h.send(OWNER, OWNER, PASSWORD);
  assert.match(textOf(late), /expired after 10 minutes/);
  assert.equal(h.deletions.length, 1, 'a late password is still deleted');
  assert.equal(h.repos.sessions.getByOwner(OWNER), undefined);
  assert.match(textOf(await h.send(OWNER, OWNER, 'hello')), /\/help/);
});

test('a second /login while one is pending starts over cleanly', async (t) => {
  const h = await createHarness(t);
  h.repos.allowlist.add(OWNER, 'env', h.clock.now());
  await h.send(OWNER, OWNER, '/login');
  await h.send(OWNER, OWNER, EMAIL);
  assert.match(textOf(await h.send(OWNER, OWNER, '/login')), /Starting over.*email/s);
  assert.match(textOf(await h.send(OWNER, OWNER, EMAIL)), /password/);
  assert.match(textOf(await h.send(OWNER, OWNER, PASSWORD)), /Logged in/);
});

test('/login in a group points to a private chat and asks Blink nothing', async (t) => {
  const h = await createHarness(t);
  h.repos.allowlist.add('tg:-100200', 'env', h.clock.now());
  h.sim.resetCounts();
  assert.match(textOf(await h.send('tg:-100200', OWNER, '/login')), /private chat/);
  assert.equal(h.sim.requestCounts().total, 0);
});

test('Discord modal login (email and password at once) in a guild channel links no channel', async (t) => {
  const h = await createHarness(t);
  const channel = { ...groupChat('dc:555'), platform: 'dc' as const, aliases: ['dc:444'] };
  h.repos.allowlist.add('dc:444', 'env', h.clock.now());
  const done = await h.event(channel, 'dc:9', { type: 'command', name: 'login', options: { email: EMAIL, password: PASSWORD } });
  assert.match(textOf(done), /Logged in/);
  assert.match(textOf(done), /No channel is linked/);
  assert.equal(done.reply.private, true);
  assert.equal(h.repos.links.get('dc:555'), undefined);
  assert.equal(h.repos.sessions.getByOwner('dc:9')?.state, 'linked');
});

test('/logout ends the session: tokens and links deleted, commands then ask for /login', async (t) => {
  const h = await createHarness(t);
  await h.login();
  assert.match(textOf(await h.send(OWNER, OWNER, '/logout')), /Logged out/);
  assert.equal(h.repos.sessions.getByOwner(OWNER), undefined);
  assert.equal(h.repos.links.get(OWNER), undefined);
  assert.match(textOf(await h.send(OWNER, OWNER, '/status')), /not logged in.*\/login/);
});

test('the 2FA channel the bot names is the one Blink named', async (t) => {
  const h = await createHarness(t);
  h.sim.setTwoFactor(EMAIL, '202', 'email');
  h.repos.allowlist.add(OWNER, 'env', h.clock.now());
  await h.send(OWNER, OWNER, '/login');
  await h.send(OWNER, OWNER, EMAIL);
  const asked = textOf(await h.send(OWNER, OWNER, PASSWORD));
  assert.match(asked, /Blink sent a verification code by email\./);
  assert.doesNotMatch(asked, /sms/i);
});

test('one hardware id per user: every login and refresh of that user sends the same one, even after /logout', async (t) => {
  const h = await createHarness(t);
  assert.match(textOf(await h.login()), /Logged in/);
  const first = h.repos.sessions.getByOwner(OWNER)?.hardwareId;
  assert.match(first ?? '', /^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/);
  await h.send(OWNER, OWNER, '/logout');
  assert.equal(h.repos.sessions.getByOwner(OWNER), undefined);
  assert.match(textOf(await h.login()), /Logged in/);
  assert.equal(h.repos.sessions.getByOwner(OWNER)?.hardwareId, first);
  h.sim.expireAccessTokens();
  assert.match(textOf(await h.send(OWNER, OWNER, '/status')), /Home: armed/);
  const seen = h.sim.seenHardwareIds();
  // Two logins (authorize + code exchange each) and one refresh.
  assert.ok(seen.length >= 5, seen.join(' '));
  assert.deepEqual([...new Set(seen)], [first]);
  // Another user is another phone.
  await h.login('tg:101');
  assert.notEqual(h.repos.sessions.getByOwner('tg:101')?.hardwareId, first);
});
