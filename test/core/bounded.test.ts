/**
 * Bounded by design (issue "Trust" point 7) in the core: an unknown /clip id costs at most
 * the pages /clips could show (5), an unknown /localclip id one clip list and a clear answer;
 * login conversations are capped.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLoginConversations, MAX_LOGIN_CONVERSATIONS } from '../../src/core/login-flow.js';
import { createSilentLogger } from '../../src/log.js';
import { createHarness, OWNER, textOf } from './harness.js';

const FRONT_DOOR = 4001;

test('/clip of an unknown id reads at most the 5 pages /clips can page through, and says "no such clip (see /clips)"', async (t) => {
  const h = await createHarness(t);
  await h.login();
  // Enough clips for many full pages of media/changed.
  for (let i = 0; i < 600; i++) h.sim.addClip({ cameraId: FRONT_DOOR, createdAt: h.sim.now() - i * 1000 - 1000, size: 1000 });
  h.sim.resetCounts();
  const answer = await h.send(OWNER, OWNER, '/clip 999999999');
  assert.match(textOf(answer), /No such clip: 999999999 \(see \/clips\)/);
  const pages = h.sim.requestLog().filter((r) => r.path.includes('/media/changed')).length;
  assert.ok(pages <= 5, `read ${pages} pages`);
});

test('/localclip of an unknown id says "no such clip (see /local)", not "try again later"', async (t) => {
  const h = await createHarness(t);
  await h.login();
  const answer = await h.send(OWNER, OWNER, '/localclip 424242');
  assert.match(textOf(answer), /No such clip: 424242 on Home \(see \/local\)/);
  assert.doesNotMatch(textOf(answer), /try again/i);
});

test(`at most ${MAX_LOGIN_CONVERSATIONS} logins wait at once; the oldest goes first`, async (t) => {
  const h = await createHarness(t);
  const logins = createLoginConversations({
    repos: h.repos,
    blink: h.blink,
    sessions: h.sessions,
    config: { admins: [] },
    clock: h.clock,
    log: createSilentLogger(),
    timeZone: 'UTC',
  });
  const inbound = (i: number) => ({
    chat: { id: `tg:${i}`, platform: 'tg' as const, kind: 'private' as const },
    caller: { id: `tg:${i}` },
    event: { type: 'text' as const, text: '' },
    progress: { async update() {}, action() {} },
  });
  for (let i = 0; i < MAX_LOGIN_CONVERSATIONS + 50; i++) logins.start(inbound(i));
  assert.equal(logins.size(), MAX_LOGIN_CONVERSATIONS);
  // The newest still waits for its email; the first one was forgotten.
  assert.match(textOf((await logins.handleText(inbound(MAX_LOGIN_CONVERSATIONS + 49), 'x')) ?? { reply: { parts: [] } }), /email/);
  assert.equal(await logins.handleText(inbound(0), 'x'), undefined);
});

test('each session has a command budget: a burst from a group is refused before Blink, then refills', async (t) => {
  const h = await createHarness(t);
  await h.login();
  h.repos.allowlist.add('tg:-100200', 'env', h.clock.now());
  await h.send('tg:-100200', OWNER, '/link');
  const answers: string[] = [];
  for (let i = 0; i < 80; i++) {
    const before = h.sim.requestCounts().total;
    const text = textOf(await h.send('tg:-100200', `tg:${500 + i}`, '/status'));
    if (/Too many commands/.test(text)) assert.equal(h.sim.requestCounts().total, before, 'a refused command asks Blink nothing');
    answers.push(text);
  }
  const refused = answers.filter((a) => /Too many commands for this Blink account/.test(a)).length;
  assert.equal(refused, 20, 'the first 60 run, the next 20 (no time passed) are refused');
  await h.clock.advance(60_000);
  assert.match(textOf(await h.send('tg:-100200', OWNER, '/status')), /Home/, 'the budget refills');
});
