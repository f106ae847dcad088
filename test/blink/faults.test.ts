import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BlinkApiError, BlinkBusyError, BlinkNetworkError, BlinkProtocolError, BlinkRateLimitError } from '../../src/errors.js';
import { BlinkMediaError } from '../../src/blink/media-error.js';
import { loggedIn, readAll, recordingLog, startSim } from './helpers.js';
import { serveLoopback } from '../helpers/loopback.js';

test('429 with a short Retry-After is waited for, then succeeds', async (t) => {
  const sim = await startSim(t);
  const { account, clock } = await loggedIn(t, sim);
  sim.injectFault({ path: '/homescreen', status: 429, retryAfterSec: 2 });
  await account.inventory();
  assert.ok(clock.slept.includes(2000));
});

test('429 with a long Retry-After raises at once and pauses only that account', async (t) => {
  const sim = await startSim(t);
  const { account, clock } = await loggedIn(t, sim);
  sim.injectFault({ path: '/homescreen', status: 429, retryAfterSec: 120 });
  await assert.rejects(account.inventory(), (e: unknown) => e instanceof BlinkRateLimitError && e.retryAfterMs === 120_000);
  sim.resetCounts();
  await assert.rejects(account.inventory(), BlinkRateLimitError);
  assert.equal(sim.requestCounts().total, 0, 'no request while paused');
  clock.advance(120_001);
  await account.inventory();
});

test('429 without Retry-After pauses the account for 5 minutes', async (t) => {
  const sim = await startSim(t);
  const { account } = await loggedIn(t, sim);
  sim.injectFault({ path: '/homescreen', status: 429 });
  await assert.rejects(account.inventory(), (e: unknown) => e instanceof BlinkRateLimitError && e.retryAfterMs === 300_000);
});

test('a 500 burst on a GET is retried with backoff, then succeeds', async (t) => {
  const sim = await startSim(t);
  const { account } = await loggedIn(t, sim);
  sim.injectFault({ path: '/homescreen', status: 500, times: 2 });
  sim.resetCounts();
  await account.inventory();
  assert.equal(sim.requestCounts()['GET /api/v3/accounts/:a/homescreen'], 3);
});

test('5xx on a GET gives up after 3 attempts', async (t) => {
  const sim = await startSim(t);
  const { account } = await loggedIn(t, sim);
  sim.injectFault({ path: '/homescreen', status: 503, times: 10 });
  sim.resetCounts();
  await assert.rejects(account.inventory(), (e: unknown) => e instanceof BlinkApiError && e.status === 503);
  assert.equal(sim.requestCounts().total, 3);
});

test('a POST that starts a command is not retried on 500', async (t) => {
  const sim = await startSim(t);
  const { account } = await loggedIn(t, sim);
  sim.injectFault({ method: 'POST', path: '/state/arm', status: 500, times: 5 });
  sim.resetCounts();
  await assert.rejects(account.setArmed('2001', true), (e: unknown) => e instanceof BlinkApiError && e.status === 500);
  assert.equal(sim.requestCounts()['POST /api/v1/accounts/:a/networks/:n/state/arm'], 1);
});

test('409 busy on a command is retried with bounded backoff', async (t) => {
  const sim = await startSim(t);
  const { account } = await loggedIn(t, sim);
  sim.injectFault({ method: 'POST', path: '/state/disarm', busy: true, times: 2 });
  assert.deepEqual(await account.setArmed('2001', false), { armed: false });
  sim.injectFault({ method: 'POST', path: '/state/arm', busy: true, times: 10 });
  await assert.rejects(account.setArmed('2001', true), BlinkBusyError);
});

test('a hang times out within the configured time-out', async (t) => {
  const sim = await startSim(t);
  const { account } = await loggedIn(t, sim, {
    timeouts: { apiMs: 150, mediaMs: 300 },
    limits: { maxAttempts: 1, perAccountMinTimeMs: 0, globalPerSecond: 10_000 },
  });
  sim.injectFault({ path: '/media/changed', hang: true });
  const start = Date.now();
  await assert.rejects(account.listClips(), BlinkNetworkError);
  assert.ok(Date.now() - start < 1500);
});

test('malformed JSON is a BlinkProtocolError naming the endpoint', async (t) => {
  const sim = await startSim(t);
  const { account } = await loggedIn(t, sim);
  sim.injectFault({ path: '/homescreen', malformedJson: true });
  await assert.rejects(account.inventory(), (e: unknown) => e instanceof BlinkProtocolError && e.endpoint === 'homescreen');
});

test('a schema mismatch names field paths, never values: a skipped list item in the warning, a broken body in the error', async (t) => {
  const sim = await startSim(t);
  const { lines, log } = recordingLog();
  const { account } = await loggedIn(t, sim, { log });
  sim.injectFault({ path: '/media/changed', status: 200, body: { media: [{ id: 1, created_at: 'secret-value-42' }] } });
  assert.deepEqual((await account.listClips()).clips, []);
  const warning = lines.find((l) => l.includes('skipped'));
  assert.ok(warning?.includes('"path":"media.0"') && warning.includes('media'), warning);
  assert.ok(!lines.some((l) => l.includes('secret-value-42')));
  sim.injectFault({ path: '/media/changed', status: 200, body: { media: 'secret-value-42' } });
  await assert.rejects(account.listClips(), (e: unknown) => {
    assert.ok(e instanceof BlinkProtocolError);
    assert.ok(e.issuePaths.includes('media'), e.issuePaths.join());
    assert.ok(!e.message.includes('secret-value-42'));
    return true;
  });
});

test('a truncated clip body makes the stream error', async (t) => {
  const sim = await startSim(t);
  const { account } = await loggedIn(t, sim);
  const clip = await account.findClip('7000005');
  assert.ok(clip);
  sim.injectFault({ path: '7000005.mp4', truncateAfterBytes: 4096 });
  const dl = await account.openClip(clip);
  await assert.rejects(readAll(dl.stream));
});

test('tiny and JSON clip bodies are rejected; code 101 JSON means refresh', async (t) => {
  const sim = await startSim(t);
  const { account } = await loggedIn(t, sim);
  const clip = await account.findClip('7000005');
  assert.ok(clip);
  sim.injectFault({ path: '7000005.mp4', status: 200, body: { message: 'error', code: 999 } });
  await assert.rejects(account.openClip(clip), (e: unknown) => e instanceof BlinkMediaError && e.reason === 'json-body');
  sim.injectFault({ path: '7000005.mp4', status: 200, body: { message: 'Unauthorized Access', code: 101 } });
  sim.resetCounts();
  const dl = await account.openClip(clip);
  await readAll(dl.stream);
  assert.equal(sim.requestCounts()['POST /oauth/token'], 1);
});

test('a 200 clip under 1 kB with a valid signature is still rejected', async (t) => {
  const { createBlinkHttp } = await import('../../src/blink/http.js');
  const { createFastClock, hostsOf, silentLog } = await import('./helpers.js');
  const url = await serveLoopback(t, (_req, res) => {
    res.writeHead(200, { 'content-type': 'video/mp4' });
    res.end(Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom'), Buffer.alloc(100)]));
  });
  const http = createBlinkHttp({ hosts: hostsOf(url), clock: createFastClock(), log: silentLog, random: () => 0.5 });
  t.after(() => http.close());
  await assert.rejects(
    http.media({ account: 'a', method: 'GET', url, endpoint: 'clip' }, 'video'),
    (e: unknown) => e instanceof BlinkMediaError && e.reason === 'too-small',
  );
});
