/**
 * The global Blink request budget is one Bottleneck: priorities across accounts (user
 * commands, then alerts, then background reads) and the global slow-down after 429s from
 * several accounts (F3) as a new Bottleneck `minTime`, restored after a quiet period.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Bottleneck from 'bottleneck';
import { createBlinkHttp } from '../../src/blink/http.js';
import { globalSettings } from '../../src/blink/http-limiters.js';
import type { RequestPriority } from '../../src/blink/types.js';
import { BlinkRateLimitError } from '../../src/errors.js';
import { createFastClock, hostsOf, silentLog, startOrderServer } from './helpers.js';
import { serveLoopback } from '../helpers/loopback.js';

test('the global Bottleneck sends queued requests of different accounts user first, then alerts, then background', async (t) => {
  const { base, order, release, heldArrived } = await startOrderServer(t, 'bg-0');
  // 2/s: a reservoir of one start, refilled 500 ms after it ran out, so the later ones
  // queue in Bottleneck.
  const limiter = new Bottleneck({ maxConcurrent: null, ...globalSettings(2) });
  const ran: number[] = [];
  limiter.on('executing', (info) => ran.push(info.options.priority));
  const http = createBlinkHttp({
    hosts: hostsOf(base),
    clock: createFastClock(),
    log: silentLog,
    random: () => 0.5,
    limits: { globalPerSecond: 2, perAccountMinTimeMs: 0 },
    globalLimiter: limiter,
  });
  t.after(() => http.close());
  const get = (path: string, account: string, priority: RequestPriority) =>
    http.json({ account, method: 'GET', url: `${base}/${path}`, endpoint: path, priority });
  const calls = [get('bg-0', 'a', 'background')];
  await heldArrived();
  // Each from its own account: only the global budget orders them.
  calls.push(get('bg-1', 'b', 'background'), get('bg-2', 'c', 'background'), get('alert', 'd', 'alert'), get('user', 'e', 'user'));
  release();
  await Promise.all(calls);
  assert.deepEqual(order, ['/bg-0', '/user', '/alert', '/bg-1', '/bg-2']);
  assert.equal(ran.length, 5, 'every request went through the injected Bottleneck');
  assert.deepEqual(ran, [7, 1, 4, 7, 7], 'Bottleneck priorities: user 1, alert 4, background 7');
});

test('429s from two accounts halve the rate in the global Bottleneck; a quiet period restores it', async (t) => {
  const base = await serveLoopback(t, (req, res) => {
    if (req.url?.startsWith('/limited')) {
      res.writeHead(429, { 'retry-after': '120' });
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{}');
  });
  const limiter = new Bottleneck({ maxConcurrent: null, ...globalSettings(100) });
  // The rate changes (not the reservoir refills every window).
  const settings: unknown[] = [];
  const update = limiter.updateSettings.bind(limiter);
  limiter.updateSettings = (options) => {
    if (options?.minTime !== undefined) settings.push(options);
    return update(options);
  };
  const clock = createFastClock();
  const http = createBlinkHttp({
    hosts: hostsOf(base),
    clock,
    log: silentLog,
    random: () => 0.5,
    limits: { globalPerSecond: 100, slowdownFloorPerSecond: 10, perAccountMinTimeMs: 0, maxAttempts: 1 },
    globalLimiter: limiter,
  });
  t.after(() => http.close());
  const get = (path: string, account: string) => http.json({ account, method: 'GET', url: `${base}/${path}`, endpoint: path });

  await assert.rejects(get('limited', 'a'), BlinkRateLimitError);
  assert.deepEqual(settings, [], 'one account limited: its own pause, the budget stays');
  await assert.rejects(get('limited', 'b'), BlinkRateLimitError);
  assert.deepEqual(settings, [{ minTime: 20, reservoir: 5 }], 'two accounts within the window: 100/s → 50/s in Bottleneck');
  await get('ok', 'c');
  assert.equal(settings.length, 1);
  clock.advance(300_000); // one quiet period without a 429
  await get('ok', 'c');
  assert.deepEqual(
    settings,
    [
      { minTime: 20, reservoir: 5 },
      { minTime: 10, reservoir: 10 },
    ],
    'back to 100/s',
  );
});

test('background reads of many accounts share Bottleneck grants: fewer jobs than requests, every start counted by weight', async (t) => {
  const base = await serveLoopback(t, (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{}');
  });
  // 100/s: a reservoir of 10 starts per 100 ms window; background reads collect for one grant.
  const limiter = new Bottleneck({ maxConcurrent: null, ...globalSettings(100) });
  const weights: number[] = [];
  limiter.on('executing', (info) => weights.push(info.options.weight));
  const http = createBlinkHttp({
    hosts: hostsOf(base),
    clock: createFastClock(),
    log: silentLog,
    random: () => 0.5,
    limits: { globalPerSecond: 100, perAccountMinTimeMs: 0 },
    globalLimiter: limiter,
  });
  t.after(() => http.close());
  const accounts = Array.from({ length: 16 }, (_, i) => `acct-${i}`);
  await Promise.all(accounts.map((account) => http.json({ account, method: 'GET', url: `${base}/poll`, endpoint: 'poll', priority: 'background' })));
  assert.equal(
    weights.reduce((a, b) => a + b, 0),
    16,
    'the reservoir counted every start',
  );
  assert.ok(weights.length < 16, `grants carried several requests (${weights.length} Bottleneck jobs for 16 requests)`);
  assert.ok(
    weights.every((w) => w <= 8),
    'no grant above 8 starts',
  );
});
