import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ADMIN, buttonsOf, createHarness, GROUP, OWNER, textOf } from './harness.js';

test('a chat not on the allowlist gets one reply naming its id, and Blink hears nothing', async (t) => {
  const h = await createHarness(t);
  await h.login();
  h.sim.resetCounts();
  const stranger = 'tg:-100999';
  for (const text of ['/status', '/arm', '/snap Front Door', '/login', '/help']) {
    const outcome = await h.send(stranger, 'tg:777', text);
    assert.equal(outcome.reply.parts.length, 1);
    assert.equal(textOf(outcome), 'This chat (tg:-100999) is not allowed to use this bot. An admin can allow it with /allow tg:-100999.');
    assert.equal(outcome.reply.private, true, 'only the caller sees it where the platform can (Discord ephemeral)');
  }
  const button = await h.event(stranger, 'tg:777', { type: 'button', command: 'arm', args: {} });
  assert.match(textOf(button), /not allowed/);
  assert.equal((await h.send(stranger, 'tg:777', 'just chatting')).reply.parts.length, 0);
  assert.equal(h.sim.requestCounts().total, 0);
  assert.equal(h.repos.links.get(stranger), undefined);
});

test('a Discord channel is served when its guild is allowlisted (aliases)', async (t) => {
  const h = await createHarness(t);
  h.repos.allowlist.add('dc:444', 'env', h.clock.now());
  const channel = { id: 'dc:555', platform: 'dc' as const, kind: 'group' as const, aliases: ['dc:444'] };
  assert.match(textOf(await h.event(channel, 'dc:9', { type: 'command', name: 'help' })), /\/status/);
});

test('admins can /allow and /deny from any chat; others cannot; chat syntax is validated', async (t) => {
  const h = await createHarness(t);
  const anywhere = 'tg:-100999';
  assert.match(textOf(await h.send(anywhere, ADMIN, '/allow tg:-100555')), /tg:-100555 may now use/);
  assert.equal(h.repos.allowlist.has('tg:-100555'), true);
  assert.match(textOf(await h.send(anywhere, ADMIN, '/allow telegram:5')), /unknown prefix/);
  assert.match(textOf(await h.send(anywhere, ADMIN, '/allow')), /Usage: \/allow/);
  assert.match(textOf(await h.send('tg:-100555', 'tg:2', '/deny tg:-100555')), /admins only/);
  assert.match(textOf(await h.send(anywhere, 'tg:2', '/allow tg:5')), /not allowed to use this bot/);
  assert.match(textOf(await h.send(anywhere, ADMIN, '/deny tg:-100555')), /no longer allowed/);
  assert.equal(h.repos.allowlist.has('tg:-100555'), false);
  const actions = h.repos.audit.listRecent().map((e) => `${e.action}:${e.result}`);
  assert.ok(actions.includes('allow:ok') && actions.includes('deny:ok'));
});

test('a button is re-checked: after /deny the chat is refused', async (t) => {
  const h = await createHarness(t);
  await h.login();
  const clips = await h.send(OWNER, OWNER, '/clips');
  const button = buttonsOf(clips)[0];
  assert.ok(button);
  await h.send('tg:-100999', ADMIN, `/deny ${OWNER}`);
  h.sim.resetCounts();
  assert.match(textOf(await h.press(OWNER, OWNER, button)), /not allowed/);
  assert.equal(h.sim.requestCounts().total, 0);
});

test('a group linked by one member: everyone can use it, only the linker can /unlink or /logout', async (t) => {
  const h = await createHarness(t);
  await h.login();
  h.repos.allowlist.add(GROUP, 'env', h.clock.now());
  const member = 'tg:300';
  assert.match(textOf(await h.send(GROUP, member, '/status')), /not linked/);
  assert.match(textOf(await h.send(GROUP, member, '/link')), /\/login/);
  assert.match(textOf(await h.send(GROUP, OWNER, '/link')), /now uses your Blink session/);
  assert.equal(h.repos.links.get(GROUP)?.linkedBy, OWNER);
  assert.match(textOf(await h.send(GROUP, member, '/status')), /Front Door/);
  const disarmed = await h.send(GROUP, member, '/disarm');
  assert.match(textOf(disarmed), /Home is disarmed/);
  assert.match(textOf(await h.send(GROUP, member, '/unlink')), /Only the member who linked/);
  assert.match(textOf(await h.send(GROUP, member, '/logout')), /Only the member who linked/);
  assert.match(textOf(await h.send(GROUP, member, '/link')), /already linked to another member/);
  assert.ok(h.repos.links.get(GROUP));
  assert.ok(h.repos.sessions.getByOwner(OWNER));
  const audit = h.repos.audit.listRecent({ chat: GROUP });
  assert.ok(audit.some((e) => e.action === 'disarm' && e.actor === member && e.result === 'ok' && e.target === 'Home'));
  assert.ok(audit.some((e) => e.action === 'unlink' && e.actor === member && e.result === 'error'));
  assert.match(textOf(await h.send(GROUP, OWNER, '/unlink')), /Unlinked/);
  assert.equal(h.repos.links.get(GROUP), undefined);
  assert.match(textOf(await h.send(GROUP, member, '/status')), /not linked/);
});

test('/link and /unlink are refused in a private chat', async (t) => {
  const h = await createHarness(t);
  await h.login();
  assert.match(textOf(await h.send(OWNER, OWNER, '/link')), /works in groups/);
});

test('unknown commands and bad arguments get a usage reply', async (t) => {
  const h = await createHarness(t);
  await h.login();
  assert.match(textOf(await h.send(OWNER, OWNER, '/frobnicate')), /no command \/frobnicate/);
  assert.match(textOf(await h.send(OWNER, OWNER, '/motion Front Door sideways')), /Usage: \/motion <camera> on\|off/);
});
