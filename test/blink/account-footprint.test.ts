/**
 * Memory per linked account: the bot keeps one Blink client per linked session for the life of
 * the process (10,000 of them in docs/performance.md, "Many accounts"). Its methods belong on
 * prototypes, not in closures made per account. No request is made: clients are only built.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createBlinkService } from '../../src/blink/service.js';
import type { BlinkAccount, BlinkSessionData } from '../../src/blink/types.js';
import { forceGc } from '../helpers/force-gc.js';
import { memoryStore, silentLog } from './helpers.js';

const heapAfterGc = (): number => {
  forceGc();
  forceGc();
  return process.memoryUsage().heapUsed;
};

test('a Blink client costs well under 1.5 KB of heap beyond its session data', (t) => {
  const service = createBlinkService({
    urls: { oauth: 'http://127.0.0.1:9', restTemplate: 'http://127.0.0.1:9/rest-{tier}' },
    clock: { now: () => Date.now(), sleep: async () => undefined },
    log: silentLog,
  });
  t.after(() => service.close());
  const n = 4000;
  const store = memoryStore();
  // The session data (tokens) exist before the measurement: only the clients are counted.
  const sessions: BlinkSessionData[] = Array.from({ length: n }, (_, i) => ({
    accountId: String(100_000 + i),
    tier: 'u011',
    hardwareId: `hw-${i}`,
    accessToken: `access-${i}-${'a'.repeat(40)}`,
    refreshToken: `refresh-${i}-${'r'.repeat(40)}`,
    accessExpiresAt: Date.now() + 3_600_000,
  }));
  const clients: BlinkAccount[] = [];
  const before = heapAfterGc();
  for (const s of sessions) clients.push(service.account(s, store));
  const perAccount = (heapAfterGc() - before) / n;
  assert.equal(clients.length, n);
  assert.equal(clients[n - 1]?.accountId, String(100_000 + n - 1));
  assert.ok(perAccount < 1500, `${Math.round(perAccount)} bytes per account`);
});
