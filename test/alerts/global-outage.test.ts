/**
 * F34: Blink down for many accounts at once. The operators get one notice and one recovery,
 * the owners get nothing one by one, and clips older than the max alert age are summarised.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createAlertService } from '../../src/alerts/alert-service.js';
import { createOutageMonitor, outageThreshold } from '../../src/alerts/outage-monitor.js';
import type { BlinkAccount } from '../../src/blink/types.js';
import { advanceBy, createRecordingSender, fixedSessions, linkSimOwner, startAlertsBackend } from './harness.js';
import { until } from '../helpers/until.js';

test('outage rules: all of a few accounts, half of many, never a single account', () => {
  assert.equal(outageThreshold(1), Number.POSITIVE_INFINITY);
  assert.equal(outageThreshold(2), 2);
  assert.equal(outageThreshold(3), 3);
  assert.equal(outageThreshold(4), 2);
  assert.equal(outageThreshold(1_000), 500);
  const m = createOutageMonitor();
  assert.equal(m.update(0, { failingNow: 5, failingLong: 4, total: 10 }), undefined);
  assert.deepEqual(m.update(1, { failingNow: 6, failingLong: 5, total: 10 }), { kind: 'started', since: 1, failing: 5, total: 10 });
  assert.equal(m.update(2, { failingNow: 9, failingLong: 9, total: 10 }), undefined, 'one notice per outage');
  assert.equal(m.likelyGlobal(0, 10), true, 'owners stay quiet while it lasts');
  assert.equal(m.update(3, { failingNow: 5, failingLong: 0, total: 10 }), undefined);
  assert.deepEqual(m.update(4, { failingNow: 4, failingLong: 0, total: 10 }), { kind: 'ended', since: 1 });
  assert.equal(m.likelyGlobal(4, 10), false);
});

const OPERATOR = 'tg:9000';
const ACCOUNTS = 6;

test('Blink down 90 min for every account: one operator notice, one recovery, no owner messages, old clips summarised', async (t) => {
  const backend = await startAlertsBackend();
  const { clock, sim, db, log } = backend;
  const accounts = new Map<string, BlinkAccount>();
  const cameras = new Map<string, number>();
  for (let i = 0; i < ACCOUNTS; i++) {
    const added = i === 0 ? { accountId: 1001, deviceIds: [4001] } : sim.addAccount({ email: `u${i}@example.com`, password: `pw-${i}-123456` });
    const { sessionId, account, cameraId } = linkSimOwner(backend, i, added);
    accounts.set(sessionId, account);
    cameras.set(sessionId, cameraId);
  }
  const sender = createRecordingSender();
  const service = createAlertService({
    db,
    sessions: fixedSessions(accounts),
    senders: new Map([['tg', sender]]),
    clock,
    random: () => 0.5,
    log,
    config: { pollIntervalMs: 60_000, timeZone: 'UTC', operatorChats: [OPERATOR], healthEveryMs: 24 * 3_600_000 },
  });
  t.after(async () => {
    await service.stop(0);
    await backend.close();
  });
  const texts = (chat?: string): string[] =>
    sender.sent
      .filter((s) => (chat === undefined ? s.chat !== OPERATOR : s.chat === chat))
      .flatMap((s) => s.reply.parts.flatMap((p) => (p.type === 'text' ? [p.text] : [])));

  for (const id of accounts.keys()) await service.pollNow(id); // baselines
  const ctl = new AbortController();
  service.start(ctl.signal);
  sim.injectFault({ path: 'media/changed', status: 503, times: Number.POSITIVE_INFINITY });
  const [firstSession] = accounts.keys();
  assert.ok(firstSession);
  await advanceBy(clock, 5 * 60_000, 10_000);
  const oldClip = sim.addClip({ cameraId: cameras.get(firstSession) ?? 0, source: 'pir' }); // 85 min old at recovery
  await advanceBy(clock, 65 * 60_000, 10_000);
  const recentClip = sim.addClip({ cameraId: cameras.get(firstSession) ?? 0, source: 'pir' }); // ~20 min old
  await advanceBy(clock, 20 * 60_000, 10_000);
  await until(() => texts(OPERATOR).length >= 1, 'the operator notice');
  assert.equal(texts(OPERATOR).length, 1);
  assert.match(texts(OPERATOR)[0] ?? '', /has not answered for 30 minutes for 6 of 6 linked accounts/);
  assert.deepEqual(texts(), [], 'no owner is told one by one');

  sim.clearFaults();
  await advanceBy(clock, 40 * 60_000, 10_000);
  await until(() => texts(OPERATOR).length >= 2, 'the recovery notice');
  await advanceBy(clock, 5 * 60_000, 10_000);
  assert.equal(texts(OPERATOR).length, 2);
  assert.match(texts(OPERATOR)[1] ?? '', /Blink answers again/);
  assert.deepEqual(texts(), ['1 older clip skipped (see /clips).'], 'the 85-min-old clip is summarised; owners get no outage messages');
  const videos = sender.sent.flatMap((s) => s.reply.parts.flatMap((p) => (p.type === 'media' ? [p.media.cacheKey] : [])));
  assert.deepEqual(videos, [`clip:${firstSession}:${recentClip}`]);
  assert.ok(!videos.includes(`clip:${firstSession}:${oldClip}`));
  ctl.abort();
});
