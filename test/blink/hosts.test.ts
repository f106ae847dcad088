/**
 * Tokens only go to Blink: the tier is a host label, every request (and every redirect) stays
 * on the configured OAuth and REST hosts, and the login's cookies stay on the host that set them.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createCookieJar } from '../../src/blink/cookie-jar.js';
import { createHostPolicy, restBase } from '../../src/blink/hosts.js';
import { BlinkApiError, BlinkError, BlinkLoginError } from '../../src/errors.js';
import { EMAIL, PASSWORD, awaitingCode, loggedIn, makeService, memoryStore, startOutsider, startSim } from './helpers.js';

test('the host policy admits the OAuth host and REST hosts of plain tiers only', () => {
  const real = createHostPolicy({ oauth: 'https://api.oauth.blink.com', restTemplate: 'https://rest-{tier}.immedia-semi.com' });
  assert.ok(real.allows('https://api.oauth.blink.com/oauth/token'));
  assert.ok(real.allows('https://rest-u011.immedia-semi.com/api/v3/accounts/1/homescreen'));
  assert.ok(real.allows('https://rest-prod.immedia-semi.com/api/v1/users/tier_info'));
  assert.ok(real.allows('https://REST-U011.immedia-semi.com:443/x'), 'case and default port do not matter');
  for (const bad of [
    'https://rest-u011.immedia-semi.com.evil.example/x',
    'https://rest-u011@evil.example/.immedia-semi.com/x',
    'https://user:pw@api.oauth.blink.com/oauth/token',
    'https://rest-u011.immedia-semi.com:8443/x',
    'http://rest-u011.immedia-semi.com/x',
    'https://rest-a.b.immedia-semi.com/x',
    'https://evil.example/rest-u011.immedia-semi.com',
    'https://api.oauth.blink.com.evil.example/',
    'immedia-blink://applinks.blink.com/signin/callback?code=1',
    'not a url',
  ]) {
    assert.equal(real.allows(bad), false, bad);
  }
  const sim = createHostPolicy({ oauth: 'http://127.0.0.1:9', restTemplate: 'http://127.0.0.1:9/rest-{tier}' });
  assert.ok(sim.allows('http://127.0.0.1:9/rest-u011/api'));
  assert.equal(sim.allows('http://127.0.0.1:10/rest-u011/api'), false);
});

test('restBase refuses a tier that is not a host label', () => {
  assert.equal(restBase('https://rest-{tier}.immedia-semi.com/', 'u011'), 'https://rest-u011.immedia-semi.com');
  for (const tier of ['u011@attacker:443/', 'U011', '', 'a.b', 'x'.repeat(33), 'u011/../x', 'u011#']) {
    assert.throws(() => restBase('https://rest-{tier}.immedia-semi.com', tier), BlinkError, tier);
  }
});

test('tier_info naming a tier that is not a host label fails the login', async (t) => {
  const sim = await startSim(t);
  const outsider = await startOutsider(t);
  const hostile = `u011@${new URL(outsider.origin).host}/`;
  sim.injectFault({ path: '/tier_info', status: 200, body: { tier: hostile, account_id: 1001 } });
  const { service } = makeService(t, sim);
  await assert.rejects(service.login(EMAIL, PASSWORD), BlinkError);
  assert.equal(outsider.seen.length, 0);
});

test('a session whose tier would point at another host sends nothing there, its token least of all', async (t) => {
  const sim = await startSim(t);
  const outsider = await startOutsider(t);
  const { session } = await loggedIn(t, sim);
  // The real template: a tier with user-info syntax would move the whole URL to another host.
  const { service } = makeService(t, sim, { urls: { oauth: sim.url, restTemplate: 'http://rest-{tier}.invalid' } });
  const account = service.account({ ...session, tier: `u011@${new URL(outsider.origin).host}/` }, memoryStore());
  await assert.rejects(account.inventory(), BlinkError);
  assert.deepEqual(outsider.seen, []);
});

test('a REST redirect to another host is not followed and carries no token', async (t) => {
  const sim = await startSim(t);
  const outsider = await startOutsider(t);
  const { account } = await loggedIn(t, sim);
  sim.injectFault({ path: '/homescreen', status: 302, location: `${outsider.origin}/steal` });
  await assert.rejects(account.inventory(), BlinkApiError);
  assert.deepEqual(outsider.seen, []);
});

test('a REST redirect within the Blink host is followed', async (t) => {
  const sim = await startSim(t);
  const { account } = await loggedIn(t, sim);
  sim.injectFault({ path: '/homescreen', status: 302, location: `${sim.restUrl('u011')}/api/v3/accounts/1001/homescreen?moved=1` });
  const inv = await account.inventory();
  assert.ok(inv.cameras.length >= 3);
});

test('the login cookie jar is host-scoped: a cookie goes back only to the host that set it', () => {
  const jar = createCookieJar(() => 0);
  jar.store('https://api.oauth.blink.com/oauth/v2/authorize', ['sid=abc; Path=/', 'pref=1; Path=/oauth; Secure']);
  assert.equal(jar.header('https://api.oauth.blink.com/oauth/v2/signin'), 'sid=abc; pref=1');
  assert.equal(jar.header('https://api.oauth.blink.com/other'), 'sid=abc');
  assert.equal(jar.header('https://evil.example/oauth/v2/signin'), undefined);
  assert.equal(jar.header('https://rest-u011.immedia-semi.com/api'), undefined);
  assert.equal(jar.header('http://api.oauth.blink.com/oauth/x'), undefined, 'another scheme is another origin');
});

test('a 2FA verify redirected to another host is not followed: no cookie, no code leaves', async (t) => {
  const sim = await startSim(t);
  const outsider = await startOutsider(t);
  const { pending } = await awaitingCode(t, sim);
  sim.injectFault({ path: '/2fa/verify', status: 302, location: `${outsider.origin}/steal` });
  await assert.rejects(pending.submitCode(sim.currentPin(EMAIL) ?? ''), BlinkLoginError);
  assert.deepEqual(outsider.seen, []);
});
