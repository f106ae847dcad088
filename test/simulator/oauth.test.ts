import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fetch } from 'undici';
import { startBlinkSimulator } from '../../src/simulator/index.js';
import { createOAuthWalker, FIXTURE_EMAIL, FIXTURE_PASSWORD, login, pick, refresh, restJson, tokenFields } from './sim-client.js';

test('full OAuth flow with PKCE, then tier_info and homescreen', async (t) => {
  const sim = await startBlinkSimulator();
  t.after(() => sim.close());
  const w = createOAuthWalker(sim);
  const a = await w.authorize();
  assert.equal(a.status, 302);
  assert.equal(a.headers.get('location'), '/oauth/v2/signin');
  assert.match(a.headers.get('set-cookie') ?? '', /^sid=[^;]+; Path=\//);
  const { res, csrf } = await w.signinPage();
  assert.equal(res.status, 200);
  assert.match(csrf, /^csrf-/);
  const s = await w.signin(FIXTURE_EMAIL, FIXTURE_PASSWORD);
  assert.equal(s.status, 302);
  const code = await w.code();
  assert.ok(code);
  const tokenRes = await w.exchange(code);
  assert.equal(tokenRes.status, 200);
  const body: unknown = await tokenRes.clone().json();
  assert.deepEqual(Object.keys(typeof body === 'object' && body !== null ? body : {}).sort(), [
    'access_token',
    'expires_in',
    'refresh_token',
    'scope',
    'token_type',
  ]);
  assert.equal(pick(body, 'expires_in'), 14400);
  const tokens = await tokenFields(tokenRes);
  const tier = await restJson(sim, tokens.accessToken, '/api/v1/users/tier_info', { tier: 'prod' });
  assert.deepEqual(tier.body, { tier: 'u011', account_id: 1001 });
  const home = await restJson(sim, tokens.accessToken, '/api/v3/accounts/1001/homescreen');
  assert.equal(home.status, 200);
  assert.equal(home.headers.get('client-id'), '1201');
  assert.equal(home.headers.get('user-id'), '1101');
  assert.match(home.headers.get('content-type') ?? '', /application\/json/);
  // The code is one-time.
  assert.equal((await w.exchange(code)).status, 401);
});

test('PKCE mismatch, wrong password, password grant and authorize 200 mode', async (t) => {
  const sim = await startBlinkSimulator({ authorizeRedirect: false });
  t.after(() => sim.close());
  const w = createOAuthWalker(sim);
  const a = await w.authorize();
  assert.equal(a.status, 200);
  assert.match(await a.text(), /oauth-args/);
  await w.signinPage();
  const bad = await w.signin(FIXTURE_EMAIL, 'nope');
  assert.equal(bad.status, 401);
  assert.match(bad.headers.get('content-type') ?? '', /json/);
  await w.signinPage();
  assert.equal((await w.signin(FIXTURE_EMAIL, FIXTURE_PASSWORD)).status, 302);
  const code = await w.code();
  assert.ok(code);
  const wrong = await w.exchange(code, 'x'.repeat(43));
  assert.equal(wrong.status, 401);
  assert.equal(pick(await wrong.json(), 'error'), 'invalid_grant');

  const pw = await fetch(`${sim.oauthUrl}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'password', username: FIXTURE_EMAIL, password: FIXTURE_PASSWORD, client_id: 'android' }).toString(),
  });
  assert.equal(pw.status, 401);
  assert.equal(pick(await pw.json(), 'error'), 'unsupported_grant_type');
});

for (const mode of ['412', '202'] as const) {
  test(`2FA via ${mode}: wrong PIN refused, right PIN completes`, async (t) => {
    const sim = await startBlinkSimulator();
    t.after(() => sim.close());
    sim.setTwoFactor(FIXTURE_EMAIL, mode);
    const w = createOAuthWalker(sim);
    await w.authorize();
    await w.signinPage();
    const s = await w.signin(FIXTURE_EMAIL, FIXTURE_PASSWORD);
    assert.equal(s.status, Number(mode));
    const body = await s.json();
    assert.equal(pick(body, 'tsv_state'), 'required');
    assert.equal(await w.code(), null, 'no code before the PIN');
    const pin = sim.currentPin(FIXTURE_EMAIL);
    assert.ok(pin);
    assert.equal(sim.lastIssuedPin(), pin);
    const wrong = await w.verify(pin === '000000' ? '111111' : '000000');
    assert.equal(wrong.status, 400);
    const ok = await w.verify(pin);
    assert.equal(ok.status, 201);
    assert.deepEqual(await ok.json(), { status: 'auth-completed' });
    const code = await w.code();
    assert.ok(code);
    assert.equal((await w.exchange(code)).status, 200);
  });
}

test('refresh rotates; old refresh token dies; android client accepted', async (t) => {
  const sim = await startBlinkSimulator();
  t.after(() => sim.close());
  const first = await login(sim);
  const r1 = await refresh(sim, first.refreshToken, 'ios');
  assert.equal(r1.status, 200);
  const second = await tokenFields(r1);
  assert.notEqual(second.refreshToken, first.refreshToken);
  assert.equal((await refresh(sim, first.refreshToken)).status, 401, 'rotated token is spent');
  const r2 = await refresh(sim, second.refreshToken, 'android');
  assert.equal(r2.status, 200);
  const third = await tokenFields(r2);
  assert.equal((await refresh(sim, third.refreshToken, 'web')).status, 401);
  assert.equal((await restJson(sim, third.accessToken, '/networks')).status, 200);

  sim.revokeRefreshTokens(1001);
  assert.equal((await refresh(sim, third.refreshToken)).status, 401);
});

test('acceptOldRefreshTokens keeps rotated tokens usable', async (t) => {
  const sim = await startBlinkSimulator({ acceptOldRefreshTokens: true });
  t.after(() => sim.close());
  const first = await login(sim);
  assert.equal((await refresh(sim, first.refreshToken)).status, 200);
  assert.equal((await refresh(sim, first.refreshToken)).status, 200);
});

test('401 for missing, unknown and expired bearer; expiry by clock', async (t) => {
  let now = Date.UTC(2026, 5, 27, 12);
  const sim = await startBlinkSimulator({ now: () => now, tokenLifetimeSec: 60 });
  t.after(() => sim.close());
  const { accessToken } = await login(sim);
  assert.equal((await restJson(sim, accessToken, '/networks')).status, 200);
  const missing = await fetch(`${sim.restUrl('u011')}/networks`);
  assert.equal(missing.status, 401);
  assert.deepEqual(await missing.json(), { message: 'Unauthorized Access', code: 101 });
  assert.equal((await restJson(sim, 'garbage', '/networks')).status, 401);
  now += 61_000;
  const expired = await restJson(sim, accessToken, '/networks');
  assert.equal(expired.status, 401);
  assert.deepEqual(expired.body, { message: 'Unauthorized Access', code: 101 });

  const fresh = sim.issueTokens(1001);
  assert.equal((await restJson(sim, fresh.accessToken, '/networks')).status, 200);
  sim.expireAccessTokens(1001);
  assert.equal((await restJson(sim, fresh.accessToken, '/networks')).status, 401);
});

test('wrong tier host and another account id are refused', async (t) => {
  const sim = await startBlinkSimulator();
  t.after(() => sim.close());
  const { accessToken } = sim.issueTokens(1001);
  assert.equal((await restJson(sim, accessToken, '/networks', { tier: 'e006' })).status, 404);
  assert.equal((await restJson(sim, accessToken, '/api/v3/accounts/9999/homescreen')).status, 403);
});
