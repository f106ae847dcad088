import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createDispatcher } from '../../src/core/dispatcher.js';
import { createSessionManager } from '../../src/core/session-manager.js';
import { createSilentLogger } from '../../src/log.js';
import { createHarness, EMAIL, OWNER, PASSWORD, textOf } from './harness.js';

test('Blink 429: a clear "busy, try again in N s" reply, and the next command after the wait works', async (t) => {
  const h = await createHarness(t);
  await h.login();
  h.sim.injectFault({ path: /homescreen/, status: 429, retryAfterSec: 30 });
  assert.match(textOf(await h.send(OWNER, OWNER, '/status')), /Blink is busy right now\. Try again in \d+ s\./);
  h.blinkClock.advance(31_000);
  assert.match(textOf(await h.send(OWNER, OWNER, '/status')), /Home: armed/);
});

test('Blink 5xx: "Blink is unavailable", and the next command works', async (t) => {
  const h = await createHarness(t);
  await h.login();
  h.sim.injectFault({ path: /homescreen/, status: 503, times: Infinity });
  assert.match(textOf(await h.send(OWNER, OWNER, '/arm')), /Blink is unavailable right now/);
  h.sim.clearFaults();
  assert.equal(textOf(await h.send(OWNER, OWNER, '/arm')), 'Home is armed.');
});

test('a command Blink does not complete within 60 s gets a reply saying so', async (t) => {
  const h = await createHarness(t);
  await h.login();
  h.sim.setCommandPolls(1000);
  assert.match(textOf(await h.send(OWNER, OWNER, '/disarm')), /did not confirm within 60 s/);
  const audit = h.repos.audit.listRecent({ chat: OWNER })[0];
  assert.equal(`${audit?.action}:${audit?.result}`, 'disarm:error');
});

test('a refused refresh marks the session needs-login; /login again recovers', async (t) => {
  const h = await createHarness(t);
  await h.login();
  h.sim.revokeRefreshTokens();
  h.sim.expireAccessTokens();
  assert.match(textOf(await h.send(OWNER, OWNER, '/status')), /session expired: \/login again/);
  assert.equal(h.repos.sessions.getByOwner(OWNER)?.state, 'needs-login');
  h.sim.resetCounts();
  assert.match(textOf(await h.send(OWNER, OWNER, '/status')), /session expired: \/login again/);
  assert.equal(h.sim.requestCounts().total, 0, 'a needs-login session is not sent to Blink');
  await h.send(OWNER, OWNER, '/login');
  await h.send(OWNER, OWNER, EMAIL);
  assert.match(textOf(await h.send(OWNER, OWNER, PASSWORD)), /Logged in/);
  assert.match(textOf(await h.send(OWNER, OWNER, '/status')), /Home: armed/);
});

test('tokens that fail to open put only that session in needs-login', async (t) => {
  const h = await createHarness(t);
  await h.login(OWNER);
  await h.login('tg:101');
  const broken = h.repos.sessions.getByOwner('tg:101');
  assert.ok(broken);
  h.repos.sessions.updateTokens(broken.id, Buffer.from('not a sealed blob at all, just bytes........'), 0, h.clock.now());
  // A restart: a new session manager with no cached clients.
  const sessions = createSessionManager({ repos: h.repos, sealer: h.sealer, blink: h.blink, clock: h.clock, log: createSilentLogger() });
  const dispatcher = createDispatcher({
    repos: h.repos,
    blink: h.blink,
    sessions,
    config: { admins: [] },
    clock: h.clock,
    log: createSilentLogger(),
    timeZone: 'UTC',
  });
  const ask = (caller: string) =>
    dispatcher.handle({
      chat: { id: caller, platform: 'tg', kind: 'private' },
      caller: { id: caller },
      event: { type: 'command', name: 'status' },
      progress: { async update() {}, action() {} },
    });
  assert.match(textOf(await ask('tg:101')), /session expired: \/login again/);
  assert.equal(h.repos.sessions.getByOwner('tg:101')?.state, 'needs-login');
  assert.match(textOf(await ask(OWNER)), /Home: armed/);
  assert.equal(h.repos.sessions.getByOwner(OWNER)?.state, 'linked');
});

test('an unexpected failure replies "Something went wrong" with an id that is in the log', async (t) => {
  const h = await createHarness(t);
  await h.login();
  const outcome = await h.dispatcher.handle({
    chat: { id: OWNER, platform: 'tg', kind: 'private' },
    caller: { id: OWNER },
    event: { type: 'command', name: 'arm' },
    progress: {
      async update() {},
      action() {},
    },
    // An aborted signal makes the Blink call fail with the abort reason, which is no AppError.
    signal: AbortSignal.abort(new RangeError('boom')),
  });
  const match = /Something went wrong \(error id ([0-9a-f]+)\)/.exec(textOf(outcome));
  assert.ok(match, textOf(outcome));
  assert.ok(h.logLines.some((l) => l.includes(match[1] ?? 'none')));
});

test('a 401 that persists after a successful refresh: "Blink refused the request; try again", the session and its fresh tokens stay', async (t) => {
  const h = await createHarness(t);
  await h.login();
  const before = h.repos.sessions.getByOwner(OWNER);
  h.sim.injectFault({ path: /homescreen/, status: 401, times: 2 });
  assert.equal(textOf(await h.send(OWNER, OWNER, '/status')), 'Blink refused the request; try again.');
  const after = h.repos.sessions.getByOwner(OWNER);
  assert.equal(after?.state, 'linked', 'no new login needed');
  assert.notDeepEqual(after?.sealedTokens, before?.sealedTokens, 'the refreshed tokens were stored');
  h.sim.resetCounts();
  assert.match(textOf(await h.send(OWNER, OWNER, '/status')), /Home: armed/);
  assert.equal(h.sim.requestCounts()['POST /oauth/token'] ?? 0, 0, 'the stored fresh tokens just work');
});

test('/status when Blink fails the clip list but not the devices: the status without "last motion", and a note why', async (t) => {
  const h = await createHarness(t);
  await h.login();
  h.sim.injectFault({ path: /media\/changed/, status: 503, times: Infinity });
  const text = textOf(await h.send(OWNER, OWNER, '/status'));
  assert.match(text, /^Home: armed/m);
  assert.match(text, /Front Door: online, motion on/);
  assert.doesNotMatch(text, /last motion \w{3}/);
  assert.match(text, /Last motion unknown/);
  h.sim.clearFaults();
  assert.match(textOf(await h.send(OWNER, OWNER, '/status')), /Front Door: .*last motion \w{3}/);
});
