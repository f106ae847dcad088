import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BlinkApiError, BlinkAuthError, BlinkRateLimitError, BlinkRefusedError } from '../../src/errors.js';
import { EMAIL, PASSWORD, loggedIn, makeService, memoryStore, startSim } from './helpers.js';

test('a due refresh rotates tokens, saves before use, and reuses the hardware id', async (t) => {
  const sim = await startSim(t);
  const { service, clock, session } = await loggedIn(t, sim);
  const order: string[] = [];
  const store = memoryStore(async (s) => {
    order.push(`save ${s.accessToken.slice(-6)}`);
    // Saved before the new access token was used for anything.
    assert.equal(sim.requestCounts()['GET /api/v3/accounts/:a/homescreen'] ?? 0, 0);
  });
  const account = service.account(session, store);
  clock.advance(session.accessExpiresAt - clock.now() - 5 * 60_000); // inside the 10-min margin
  sim.resetCounts();
  await account.inventory();
  assert.equal(store.saved.length, 1);
  const saved = store.saved[0];
  assert.ok(saved);
  assert.notEqual(saved.refreshToken, session.refreshToken);
  assert.notEqual(saved.accessToken, session.accessToken);
  assert.equal(saved.hardwareId, session.hardwareId);
  assert.deepEqual(account.session(), saved);
  assert.deepEqual(
    sim.requestLog().map((r) => r.routeClass),
    ['POST /oauth/token', 'GET /api/v3/accounts/:a/homescreen'],
  );
});

test('concurrent callers share one refresh', async (t) => {
  const sim = await startSim(t);
  const { service, clock, session } = await loggedIn(t, sim);
  const store = memoryStore();
  const account = service.account(session, store);
  clock.advance(session.accessExpiresAt - clock.now() - 60_000);
  sim.resetCounts();
  await Promise.all([account.inventory(), account.inventory(), account.notificationFlags()]);
  assert.equal(sim.requestCounts()['POST /oauth/token'], 1);
  assert.equal(store.saved.length, 1);
});

test('a 401 triggers exactly one refresh and one retry', async (t) => {
  const sim = await startSim(t);
  const { account, store } = await loggedIn(t, sim);
  sim.expireAccessTokens();
  sim.resetCounts();
  const inv = await account.inventory();
  assert.ok(inv.cameras.length > 0);
  const c = sim.requestCounts();
  assert.equal(c['POST /oauth/token'], 1);
  assert.equal(c['GET /api/v3/accounts/:a/homescreen'], 2);
  assert.equal(store.saved.length, 1);
});

test('a refused refresh is BlinkAuthError and no further request is made', async (t) => {
  const sim = await startSim(t);
  const { account } = await loggedIn(t, sim);
  sim.expireAccessTokens();
  sim.revokeRefreshTokens();
  await assert.rejects(account.inventory(), BlinkAuthError);
  sim.resetCounts();
  await assert.rejects(account.inventory(), BlinkAuthError);
  assert.equal(sim.requestCounts().total, 0);
});

test('a 401 that persists after a successful refresh is a refused request: the session and its fresh tokens stay', async (t) => {
  const sim = await startSim(t);
  const { account, store, session } = await loggedIn(t, sim);
  sim.injectFault({ path: '/homescreen', status: 401, times: 2 });
  sim.resetCounts();
  await assert.rejects(account.inventory(), (e: unknown) => e instanceof BlinkRefusedError && !(e instanceof BlinkAuthError));
  assert.equal(sim.requestCounts()['POST /oauth/token'], 1);
  const fresh = store.saved.at(-1);
  assert.ok(fresh && fresh.refreshToken !== session.refreshToken, 'the rotated tokens were stored');
  assert.equal(account.session().accessToken, fresh.accessToken);
  // The next call just works with the fresh tokens: no new login, no second refresh.
  sim.resetCounts();
  await account.inventory();
  assert.equal(sim.requestCounts()['POST /oauth/token'] ?? 0, 0);
});

for (const status of [400, 401]) {
  test(`only a refused refresh (${status}) ends the session`, async (t) => {
    const sim = await startSim(t);
    const { account } = await loggedIn(t, sim);
    sim.expireAccessTokens();
    sim.injectFault({ path: '/oauth/token', status, body: { error: 'invalid_grant' } });
    await assert.rejects(account.inventory(), BlinkAuthError);
  });
}

test('a 403 on the token endpoint without invalid_grant is transient, not a lost session', async (t) => {
  const sim = await startSim(t);
  const { account, clock } = await loggedIn(t, sim);
  sim.expireAccessTokens();
  sim.injectFault({ path: '/oauth/token', status: 403, body: { message: 'Forbidden' } });
  await assert.rejects(account.inventory(), (e: unknown) => e instanceof BlinkApiError && !(e instanceof BlinkAuthError));
  clock.advance(16 * 60_000);
  await account.inventory();
});

for (const status of [429, 503]) {
  test(`a ${status} on /oauth/token pauses token requests for 15 min (no loop)`, async (t) => {
    const sim = await startSim(t);
    const { account, clock } = await loggedIn(t, sim);
    sim.expireAccessTokens();
    sim.injectFault({ path: '/oauth/token', status, retryAfterSec: 1 });
    await assert.rejects(account.inventory(), status === 429 ? BlinkRateLimitError : BlinkApiError);
    sim.resetCounts();
    await assert.rejects(account.inventory(), BlinkRateLimitError);
    clock.advance(14 * 60_000);
    await assert.rejects(account.inventory(), BlinkRateLimitError);
    assert.equal(sim.requestCounts()['POST /oauth/token'] ?? 0, 0, 'no token request inside the pause');
    clock.advance(61_000);
    await account.inventory();
    assert.equal(sim.requestCounts()['POST /oauth/token'], 1);
  });
}

test('a 200 with body code 101 is treated as a 401', async (t) => {
  const sim = await startSim(t);
  const { account } = await loggedIn(t, sim);
  sim.injectFault({ path: '/homescreen', status: 200, body: { message: 'Unauthorized Access', code: 101 } });
  sim.resetCounts();
  await account.inventory();
  assert.equal(sim.requestCounts()['POST /oauth/token'], 1);
});

test('service.account with a stale copy keeps the rotated session', async (t) => {
  const sim = await startSim(t);
  const { service } = makeService(t, sim);
  const step = await service.login(EMAIL, PASSWORD);
  if (step.kind !== 'done') return assert.fail();
  const a = service.account(step.session, memoryStore());
  sim.expireAccessTokens();
  await a.inventory();
  const b = service.account(step.session, memoryStore());
  assert.notEqual(b.session().refreshToken, step.session.refreshToken);
  await b.inventory();
});
