/**
 * Every request blink-bot makes carries a User-Agent and an Accept (Blink has answered 406
 * without them, and the simulator does too), with the strings of client-identity.ts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { request } from 'undici';
import { APP_UA, SAFARI_UA } from '../../src/blink/client-identity.js';
import { EMAIL, awaitingCode, loggedIn, memoryStore, readAll, startSim } from './helpers.js';

test('the simulator answers 406 to a request without a User-Agent or an Accept, as Blink did', async (t) => {
  const sim = await startSim(t);
  const { accessToken } = sim.issueTokens(1001);
  const url = `${sim.restUrl('u011')}/api/v3/accounts/1001/homescreen`;
  const auth = { authorization: `Bearer ${accessToken}` };
  const ask = async (headers: Record<string, string>): Promise<number> => {
    const res = await request(url, { headers: { ...auth, ...headers } });
    await res.body.dump();
    return res.statusCode;
  };
  assert.equal(await ask({}), 406);
  assert.equal(await ask({ accept: 'application/json' }), 406);
  assert.equal(await ask({ 'user-agent': APP_UA }), 406);
  assert.equal(await ask({ 'user-agent': APP_UA, accept: 'application/json' }), 200);
  const token = await request(`${sim.oauthUrl}/oauth/token`, { method: 'POST', body: 'grant_type=refresh_token' });
  await token.body.dump();
  assert.equal(token.statusCode, 406);
});

test('every request of every client path carries the User-Agent and Accept of its class', async (t) => {
  const sim = await startSim(t);
  const { service, clock, pending } = await awaitingCode(t, sim);
  const session = await pending.submitCode(sim.currentPin(EMAIL) ?? '');
  const account = service.account(session, memoryStore());

  const inv = await account.inventory({ detailed: true });
  for (const camera of inv.cameras) await readAll((await account.openThumbnail(camera)).stream);
  const front = inv.cameras.find((c) => c.name === 'Front Door');
  const mini = inv.cameras.find((c) => c.family === 'owl');
  assert.ok(front && mini);
  await readAll((await account.snap(front)).stream);
  await account.setMotion(mini, false);
  await account.recordClip(front);
  await account.setArmed('2001', true);
  const { clips } = await account.listClips();
  const clip = clips.find((c) => !c.deleted);
  assert.ok(clip);
  await readAll((await account.openClip(clip)).stream);
  await readAll((await account.openClipThumbnail(clip)).stream);
  await account.changesSince(undefined);
  sim.setLocalStorage(3001, true);
  const local = await account.localClips('2001');
  await readAll((await account.openLocalClip('2001', local[0]?.id ?? '')).stream);
  await account.notificationFlags();
  clock.advance(5 * 3600_000); // the token is due: a refresh
  await account.inventory();
  await account.logout();

  const log = sim.requestLog();
  const classes = new Set(log.map((e) => e.routeClass));
  for (const needed of ['POST /oauth/v2/2fa/verify', 'POST /oauth/token', 'GET /api/v1/users/tier_info', 'GET /api/v3/accounts/:a/homescreen']) {
    assert.ok(classes.has(needed), `${needed} was exercised`);
  }
  assert.ok(log.some((e) => e.path.endsWith('.mp4')) && log.some((e) => /thumbnail|\.jpg/.test(e.path)), 'media was exercised');
  for (const e of log) {
    assert.notEqual(e.status, 406, `${e.routeClass} was refused`);
    assert.ok(e.userAgent !== '' && e.accept !== '', `${e.method} ${e.routeClass} sent User-Agent "${e.userAgent}" and Accept "${e.accept}"`);
    const web = e.routeClass.includes('/oauth/v2/');
    const tierInfo = e.routeClass.includes('tier_info');
    if (web) assert.equal(e.userAgent, SAFARI_UA, e.routeClass);
    else if (!tierInfo) assert.equal(e.userAgent, APP_UA, e.routeClass);
  }
});

test('media downloads and REST calls of a stored session send the headers too', async (t) => {
  const sim = await startSim(t);
  const { account } = await loggedIn(t, sim);
  sim.resetCounts();
  const inv = await account.inventory();
  await readAll((await account.openThumbnail(inv.cameras[0] ?? assert.fail())).stream);
  const media = sim.requestLog().filter((e) => e.path.includes('/media/'));
  assert.ok(media.length > 0);
  for (const e of media) assert.equal(e.accept, '*/*');
  const rest = sim.requestLog().filter((e) => e.routeClass.includes('homescreen'));
  for (const e of rest) assert.equal(e.accept, 'application/json');
});
