import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRepositories, createRetention } from '../../src/db/index.js';
import { createLogger, createSilentLogger } from '../../src/log.js';
import { FRONT_DOOR, settle, startHarness } from '../alerts/harness.js';
import { until } from '../helpers/until.js';

const DAY = 24 * 60 * 60_000;

test('a clip Blink reports again after retention forgot it never alerts again (video or summary)', async (t) => {
  // A long alert age, so that without the guard the forgotten clip would be sent as a video.
  const h = await startHarness(t, { config: { maxAlertAgeMs: 30 * DAY } });
  const repos = createRepositories(h.db);
  const retention = createRetention({ repos, clock: h.clock, log: createSilentLogger(), retentionDays: 1, batchSize: 2 });
  await h.service.pollNow(h.sessionId); // baseline: the fixture's clips are history
  await h.clock.advance(5_000);
  // Blink keeps reporting a clip while its updated_at is at or after the cursor: one that
  // changes later (viewed, trimmed) comes back after days, the worst case for retention.
  const id = h.sim.addClip({ cameraId: FRONT_DOOR, source: 'pir', updatedAt: h.clock.now() + 3 * DAY });
  await h.service.pollNow(h.sessionId);
  assert.equal(h.sender.sent.length, 1);
  await h.service.pollNow(h.sessionId);
  assert.equal(h.sender.sent.length, 1, 'seen: no repeat before pruning');

  await h.clock.advance(2 * DAY);
  const counts = await retention.pruneNow();
  assert.ok(counts.clipsSeen >= 6, `clips pruned (fixture history and the clip): ${JSON.stringify(counts)}`);
  assert.ok(counts.outbox >= 1, `the sent alert pruned: ${JSON.stringify(counts)}`);
  assert.equal(repos.clipsSeen.has(h.sessionId, String(id)), false);
  assert.ok(repos.clipsSeen.baselineOf(h.sessionId) !== undefined, 'the baseline marker stays');

  await h.service.pollNow(h.sessionId);
  await h.clock.advance(2 * DAY);
  await h.service.pollNow(h.sessionId);
  assert.equal(h.sender.sent.length, 1, 'the forgotten clip was not alerted or summarised again');

  // New clips still alert after pruning.
  h.sim.addClip({ cameraId: FRONT_DOOR, source: 'pir' });
  await h.service.pollNow(h.sessionId);
  assert.equal(h.sender.sent.length, 2);
  assert.equal(repos.outbox.countByState().pending, 0);
});

test('retention prunes old rows in small batches on the injected clock, never pending alerts, and again on schedule', async (t) => {
  const h = await startHarness(t);
  const repos = createRepositories(h.db);
  const now = h.clock.now();
  for (let i = 0; i < 7; i++) {
    repos.audit.record({ at: now - 2 * DAY + i, actor: 'tg:1', chat: 'tg:1', action: 'arm', target: null, result: 'ok', detail: null });
    repos.outbox.enqueue(
      { sessionId: h.sessionId, mediaId: `old-${i}`, chat: 'tg:1', kind: 'text', payload: { text: 'x' }, state: i === 0 ? 'pending' : 'sent' },
      now - 2 * DAY,
    );
  }
  repos.audit.record({ at: now, actor: 'tg:1', chat: 'tg:1', action: 'arm', target: null, result: 'ok', detail: null });
  const lines: Record<string, unknown>[] = [];
  const log = createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(JSON.parse(line)) } });
  const retention = createRetention({ repos, clock: h.clock, log, retentionDays: 1, batchSize: 2, everyMs: 60 * 60_000 });
  const controller = new AbortController();
  t.after(() => retention.stop());
  retention.start(controller.signal);
  await until(() => repos.audit.listRecent().length === 1, 'all seven old entries went, in batches of two');
  assert.deepEqual(repos.outbox.countByState(), { pending: 1, sent: 0, failed: 0, skipped: 0 });
  const { level, time, ...counts } = lines[0] ?? {};
  assert.deepEqual(counts, { clipsSeen: 0, outbox: 6, audit: 7, platformFiles: 0, retentionDays: 1, msg: 'retention pruned old rows' });

  // Old enough to go 30 min from now: the next run (in an hour) takes it, not before.
  repos.audit.record({ at: now - DAY + 30 * 60_000, actor: 'tg:1', chat: 'tg:1', action: 'arm', target: null, result: 'ok', detail: null });
  await h.clock.advance(59 * 60_000);
  await settle();
  assert.equal(repos.audit.listRecent().length, 2, 'not yet: the schedule has not come round');
  await h.clock.advance(60_000);
  await until(() => repos.audit.listRecent().length === 1, 'pruned again on the clock');
  controller.abort();
});
