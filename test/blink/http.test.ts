import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { test, type TestContext } from 'node:test';
import type { Clock } from '../../src/clock.js';
import { createBlinkHttp, parseRetryAfter } from '../../src/blink/http.js';
import type { RequestPriority } from '../../src/blink/types.js';
import { createFastClock, hostsOf, silentLog, startOrderServer } from './helpers.js';
import { emptyJson, serveLoopback } from '../helpers/loopback.js';
import { until } from '../helpers/until.js';

/** The Blink HTTP layer for `base` (fast clock unless given), closed after the test. */
function testHttp(t: TestContext, base: string, limits: Parameters<typeof createBlinkHttp>[0]['limits'], clock: Clock = createFastClock()) {
  const http = createBlinkHttp({ hosts: hostsOf(base), clock, log: silentLog, random: () => 0.5, limits });
  t.after(() => http.close());
  return http;
}

test('Retry-After in seconds or as an HTTP date', () => {
  const now = Date.UTC(2026, 5, 27, 12, 0, 0);
  assert.equal(parseRetryAfter('120', now), 120_000);
  assert.equal(parseRetryAfter(new Date(now + 30_000).toUTCString(), now), 30_000);
  assert.equal(parseRetryAfter(undefined, now), undefined);
  assert.equal(parseRetryAfter('soon', now), undefined);
});

test('idle per-account limiters are released, so memory stays flat with many accounts', async (t) => {
  const seen: string[] = [];
  const url = `${await serveLoopback(t, (req, res) => {
    seen.push(req.headers['content-type'] ?? '');
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  })}/x`;
  const clock = createFastClock();
  const http = testHttp(t, url, { globalPerSecond: 10_000, perAccountMinTimeMs: 0, idleReleaseMs: 60_000 }, clock);
  await Promise.all(
    Array.from({ length: 300 }, (_, i) =>
      http.json({ account: `acct-${i}`, method: 'GET', url, endpoint: 'x', headers: { 'content-type': 'application/json' } }),
    ),
  );
  assert.equal(http.limiterCount(), 300);
  clock.advance(61_000);
  await http.json({ account: 'fresh', method: 'GET', url, endpoint: 'x' });
  assert.equal(http.limiterCount(), 1);
  http.release('fresh');
  assert.equal(http.limiterCount(), 0);
});

test('a paused account does not block another account', async (t) => {
  const url = `${await serveLoopback(t, emptyJson)}/`;
  const http = testHttp(t, url, { perAccountMinTimeMs: 0 });
  http.pause('a', 60_000);
  await assert.rejects(http.json({ account: 'a', method: 'GET', url, endpoint: 'x' }));
  await http.json({ account: 'b', method: 'GET', url, endpoint: 'x' });
});

test('queued requests of one account go user first, then alert, then background', async (t) => {
  const { base, order, release, heldArrived } = await startOrderServer(t, 'bg-0');
  const http = testHttp(t, base, { globalPerSecond: 10_000, perAccountMinTimeMs: 0 });
  const get = (path: string, priority: RequestPriority) => http.json({ account: 'a', method: 'GET', url: `${base}/${path}`, endpoint: path, priority });
  const calls = [get('bg-0', 'background')];
  // bg-0 occupies the account's only slot; the rest queue behind it.
  await heldArrived();
  calls.push(get('bg-1', 'background'), get('alert', 'alert'), get('bg-2', 'background'), get('user', 'user'));
  // Real time on purpose: a request let through too early would reach the test server within 20 ms.
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(order, ['/bg-0'], 'one request per account at a time');
  release();
  await Promise.all(calls);
  assert.deepEqual(order, ['/bg-0', '/user', '/alert', '/bg-1', '/bg-2']);
});

test('the per-account gap holds between two requests of one account, not across accounts', async (t) => {
  // Across accounts: while account a's request is held at the server and a's minute-long gap
  // runs, account b's request still goes through (no wall-clock bound: a shared slot or gap
  // would hold b for a minute and `until` would fail).
  const { base, order, release, heldArrived } = await startOrderServer(t, 'a-1');
  const slow = testHttp(t, base, { globalPerSecond: 10_000, perAccountMinTimeMs: 60_000 });
  const held = slow.json({ account: 'a', method: 'GET', url: `${base}/a-1`, endpoint: 'x' });
  await heldArrived();
  void slow.json({ account: 'b', method: 'GET', url: `${base}/b-1`, endpoint: 'x' });
  await until(() => order.includes('/b-1'), "account b's request while a's is in flight and a's gap runs");
  release();
  await held;
  // Within one account: the second request starts at least the gap after the first (a lower
  // bound, which a loaded machine only makes longer).
  const url = `${await serveLoopback(t, emptyJson)}/`;
  const http = testHttp(t, url, { globalPerSecond: 10_000, perAccountMinTimeMs: 120 });
  const t0 = performance.now();
  await http.json({ account: 'a', method: 'GET', url, endpoint: 'x' });
  await http.json({ account: 'a', method: 'GET', url, endpoint: 'x' });
  const serial = performance.now() - t0;
  assert.ok(serial >= 115, `the second request of one account waited its gap (${serial} ms)`);
});

test('requests leave nothing behind on a long-lived caller signal', async (t) => {
  const url = `${await serveLoopback(t, emptyJson)}/`;
  const http = testHttp(t, url, { globalPerSecond: 10_000, perAccountMinTimeMs: 0 });
  const loop = new AbortController(); // like the poll loop's signal, alive for the process
  for (let i = 0; i < 20; i++) await http.json({ account: `a${i % 3}`, method: 'GET', url, endpoint: 'x', signal: loop.signal });
  assert.equal(getEventListeners(loop.signal, 'abort').length, 0);
});
