import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createGlobalRatePolicy } from '../../src/blink/global-rate.js';
import { createManualClock } from '../../src/clock.js';
import { BlinkRateLimitError } from '../../src/errors.js';
import { makeService, memoryStore, startSim } from './helpers.js';

const options = { basePerSecond: 100, floorPerSecond: 10, windowMs: 60_000, quietMs: 300_000 };

test("policy: one account's 429s never slow everyone down; two accounts within the window halve the rate once", () => {
  const clock = createManualClock();
  const policy = createGlobalRatePolicy(clock, options);
  assert.equal(policy.onRateLimited('a'), 100);
  assert.equal(policy.onRateLimited('a'), 100);
  clock.set(clock.now() + 61_000); // 'a' fell out of the window
  assert.equal(policy.onRateLimited('b'), 100);
  clock.set(clock.now() + 1_000);
  assert.equal(policy.onRateLimited('c'), 50); // b and c within 60 s
  // The same incident's further 429s (even from new accounts) do not halve again within the window.
  assert.equal(policy.onRateLimited('d'), 50);
  assert.equal(policy.onRateLimited('e'), 50);
  assert.equal(policy.current(), 50);
});

test('policy: repeated incidents go down to the floor, then quiet periods restore the rate step by step', () => {
  const clock = createManualClock();
  const policy = createGlobalRatePolicy(clock, options);
  const incident = (): number => {
    clock.set(clock.now() + 60_000);
    policy.onRateLimited('a');
    return policy.onRateLimited('b');
  };
  assert.deepEqual([incident(), incident(), incident(), incident(), incident()], [50, 25, 12.5, 10, 10]);
  clock.set(clock.now() + 299_000);
  assert.equal(policy.current(), 10, 'not quiet long enough yet');
  clock.set(clock.now() + 1_000);
  assert.equal(policy.current(), 20);
  clock.set(clock.now() + 150_000);
  policy.onRateLimited('a'); // a lone 429 restarts the quiet period but does not halve
  assert.equal(policy.current(), 20);
  clock.set(clock.now() + 299_000);
  assert.equal(policy.current(), 20);
  clock.set(clock.now() + 1_000);
  assert.equal(policy.current(), 40);
  clock.set(clock.now() + 3 * 300_000); // several quiet periods at once: capped at the base
  assert.equal(policy.current(), 100);
});

test('429s from two simulator accounts slow the global limiter; Retry-After pauses stay per account', async (t) => {
  const sim = await startSim(t);
  const b = sim.addAccount({ email: 'b@example.com', password: 'pw-b-123456' });
  const c = sim.addAccount({ email: 'c@example.com', password: 'pw-c-123456' });
  const { service, clock } = makeService(t, sim, {
    limits: { globalPerSecond: 20, slowdownFloorPerSecond: 2, perAccountMinTimeMs: 0, maxAttempts: 1 },
  });
  const client = (accountId: number) => {
    const tokens = sim.issueTokens(accountId);
    return service.account(
      {
        accountId: String(accountId),
        tier: 'u011',
        hardwareId: `hw-${accountId}`,
        accessToken: tokens.accessToken,
        refreshToken: tokens.refreshToken,
        accessExpiresAt: clock.now() + tokens.expiresIn * 1000,
      },
      memoryStore(),
    );
  };
  const [a1, b1, c1] = [client(1001), client(b.accountId), client(c.accountId)];
  await Promise.all([a1.listClips(), b1.listClips(), c1.listClips()]);

  sim.injectFault({ path: '/accounts/1001/media/changed', status: 429, retryAfterSec: 120 });
  await assert.rejects(a1.listClips(), (e: unknown) => e instanceof BlinkRateLimitError && e.retryAfterMs === 120_000);
  assert.equal(service.globalPerSecondNow(), 20, 'one account limited: the global rate stays');

  sim.injectFault({ path: `/accounts/${b.accountId}/media/changed`, status: 429, retryAfterSec: 120 });
  await assert.rejects(b1.listClips(), BlinkRateLimitError);
  assert.equal(service.globalPerSecondNow(), 10, 'two accounts limited within a minute: halved');

  // Per-account behaviour is unchanged: both limited accounts send nothing during their pause,
  // the third account still gets through, only at the lower global rate.
  sim.resetCounts();
  await assert.rejects(a1.listClips(), BlinkRateLimitError);
  await assert.rejects(b1.listClips(), BlinkRateLimitError);
  assert.equal(sim.requestCounts().total, 0);
  const started = Date.now();
  for (let i = 0; i < 3; i++) await c1.listClips();
  assert.ok(Date.now() - started >= 180, `3 requests at 10/s took ${Date.now() - started} ms`);

  clock.advance(120_001); // the accounts' Retry-After passed; the global rate is not back yet
  await a1.listClips();
  await b1.listClips();
  assert.equal(service.globalPerSecondNow(), 10);
  clock.advance(300_000); // a quiet period since the last 429: one step back up
  assert.equal(service.globalPerSecondNow(), 20);
});
