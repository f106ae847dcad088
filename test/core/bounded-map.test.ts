import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createManualClock } from '../../src/clock.js';
import { createBoundedMap } from '../../src/core/bounded-map.js';

test('a bounded map keeps at most maxEntries (oldest out first) and forgets entries older than ttlMs', async () => {
  const clock = createManualClock(0);
  const map = createBoundedMap<number, string>({ clock, maxEntries: 100, ttlMs: 1_000 });
  for (let i = 0; i < 10_000; i++) map.set(i, String(i));
  assert.equal(map.size(), 100);
  assert.equal(map.get(0), undefined);
  assert.equal(map.get(9_999), '9999');
  await clock.advance(1_000);
  assert.equal(map.get(9_999), undefined);
  assert.equal(map.size(), 0);
});
