import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createAlertStore } from '../../src/alerts/alert-store.js';
import { createOwnerNotices } from '../../src/alerts/owner-notice.js';
import { createPollScheduler } from '../../src/alerts/poll-scheduler.js';
import { createManualClock } from '../../src/clock.js';
import { openDatabase } from '../../src/db/open-database.js';
import { createLinksRepository } from '../../src/db/repositories/links.js';
import { createSessionsRepository } from '../../src/db/repositories/sessions.js';
import { createSilentLogger } from '../../src/log.js';
import { manySessionsRow, NO_CLIENTS } from './harness.js';

test('10,000 sessions: one loop polls each once per period, first polls spread over the period', async (t) => {
  const db = openDatabase({ path: ':memory:' });
  t.after(() => db.close());
  const clock = createManualClock();
  const sessions = createSessionsRepository(db);
  db.transaction(() => {
    for (let i = 0; i < 10_000; i++) {
      sessions.saveForOwner(manySessionsRow(i), clock.now());
    }
  })();
  const store = createAlertStore(db);
  let seed = 1;
  const random = (): number => {
    seed = (seed * 16_807) % 2_147_483_647;
    return seed / 2_147_483_647;
  };
  const pollTimes = new Map<string, number[]>();
  const heapBefore = process.memoryUsage().heapUsed;
  const scheduler = createPollScheduler({
    clock,
    random,
    log: createSilentLogger(),
    store,
    sessions,
    blink: NO_CLIENTS,
    notices: createOwnerNotices({ store, links: createLinksRepository(db), sessions }),
    poll: async (id) => {
      const list = pollTimes.get(id) ?? [];
      list.push(clock.now());
      pollTimes.set(id, list);
      return { kind: 'ok', alerts: 0 };
    },
    periodMs: 60_000,
    maxConcurrent: 64,
  });
  const ctl = new AbortController();
  const loop = scheduler.run(ctl.signal);
  const start = clock.now();
  for (let s = 0; s < 125; s++) {
    await clock.advance(1_000);
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  }
  ctl.abort();
  await loop;
  const heapAfter = process.memoryUsage().heapUsed;

  assert.equal(pollTimes.size, 10_000, 'every session polled');
  const perSecond = new Map<number, number>();
  let minGap = Number.POSITIVE_INFINITY;
  for (const times of pollTimes.values()) {
    const first = times[0] ?? 0;
    const bucket = Math.floor((first - start) / 1000);
    perSecond.set(bucket, (perSecond.get(bucket) ?? 0) + 1);
    for (let i = 1; i < times.length; i++) minGap = Math.min(minGap, (times[i] ?? 0) - (times[i - 1] ?? 0));
  }
  const peak = Math.max(...perSecond.values());
  t.diagnostic(`first-poll peak ${peak} per second (mean ${10_000 / 60}); min gap ${minGap} ms; heap +${((heapAfter - heapBefore) / 1e6).toFixed(1)} MB`);
  assert.ok(perSecond.size >= 58, `first polls over ${perSecond.size} s`);
  assert.ok(peak < 400, `peak ${peak}/s`);
  assert.ok(minGap >= 57_000, `an account polled again after ${minGap} ms`);
});
