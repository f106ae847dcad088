import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { createRepositories, isWithinQuietHours, openDatabase } from '../../src/db/index.js';
import { createSealer } from '../../src/secrets/index.js';
import { tempDir } from '../helpers/temp-dir.js';

const NOW = Date.UTC(2026, 5, 27, 12);

function setup(t: { after: (fn: () => void) => void }, file = ':memory:') {
  const db = openDatabase({ path: file });
  t.after(() => db.close());
  let n = 0;
  const repos = createRepositories(db, { newSessionId: () => `s${++n}`, outbox: { baseRetryMs: 1000, maxRetryMs: 8000, maxAttempts: 3 } });
  return { db, repos };
}

const sessionInput = (owner: string, accountId = 'acct-1') => ({
  ownerUserId: owner,
  accountId,
  tier: 'u011',
  hardwareId: 'hw-1',
  email: 'jane@example.com',
  sealedTokens: Buffer.from('sealed'),
  accessExpiresAt: NOW + 3_600_000,
});

test('sessions: save, replace in place, read, tokens, state, watermark, notify once, delete cascades', (t) => {
  const { repos } = setup(t);
  const s = repos.sessions.saveForOwner(sessionInput('tg:1'), NOW);
  assert.equal(s.id, 's1');
  assert.equal(s.state, 'linked');
  assert.equal(repos.sessions.getByOwner('tg:1')?.id, s.id);
  repos.links.link({ chat: 'tg:1', sessionId: s.id, linkedBy: 'tg:1' }, NOW);
  repos.sessions.setWatermark(s.id, { watermark: '2026-06-27T12:00:00+00:00', watermarkMs: NOW }, NOW + 5);
  assert.equal(repos.sessions.getById(s.id)?.pollWatermarkMs, NOW);

  const again = repos.sessions.saveForOwner({ ...sessionInput('tg:1'), sealedTokens: Buffer.from('new') }, NOW + 10);
  assert.equal(again.id, s.id, 'same owner keeps the id');
  assert.equal(again.linkedAt, NOW);
  assert.equal(again.pollWatermarkMs, NOW, 'same account keeps the watermark');
  assert.deepEqual(again.sealedTokens, Buffer.from('new'));
  assert.equal(repos.links.get('tg:1')?.sessionId, s.id, 'links survive a re-login');

  const other = repos.sessions.saveForOwner(sessionInput('tg:1', 'acct-2'), NOW + 20);
  assert.equal(other.linkedAt, NOW + 20);
  assert.equal(other.pollWatermark, null, 'another account starts over');

  assert.equal(repos.sessions.updateTokens(s.id, Buffer.from('t2'), NOW + 99, NOW + 30), true);
  assert.deepEqual(repos.sessions.getByOwner('tg:1')?.sealedTokens, Buffer.from('t2'));
  assert.equal(repos.sessions.getByOwner('tg:1')?.accessExpiresAt, NOW + 99);

  repos.sessions.recordPoll(s.id, NOW + 40, NOW + 100);
  assert.equal(repos.sessions.getById(s.id)?.backoffUntil, NOW + 100);

  assert.equal(repos.sessions.listLinked().length, 1);
  assert.equal(repos.sessions.markNeedsLogin(s.id, NOW + 50), true);
  const stale = repos.sessions.getById(s.id);
  assert.equal(stale?.state, 'needs-login');
  assert.equal(stale?.sealedTokens, null, 'tokens are dropped');
  assert.deepEqual(repos.sessions.listLinked(), []);
  assert.equal(repos.sessions.updateTokens(s.id, Buffer.from('x'), 1, NOW), false);
  assert.equal(repos.sessions.markOwnerNotified(s.id, NOW + 60), true);
  assert.equal(repos.sessions.markOwnerNotified(s.id, NOW + 61), false, 'told once');

  assert.equal(repos.sessions.delete(s.id), true);
  assert.equal(repos.sessions.getById(s.id), undefined);
  assert.equal(repos.links.get('tg:1'), undefined, 'links cascade');
});

test('allowlist: add, has, list, remove, seed from env', (t) => {
  const { repos } = setup(t);
  assert.equal(repos.allowlist.seedFromEnv(['tg:-100', 'dc:5'], NOW), 2);
  assert.equal(repos.allowlist.seedFromEnv(['tg:-100'], NOW), 0);
  assert.equal(repos.allowlist.add('tg:7', 'tg:1', NOW), 'inserted');
  assert.equal(repos.allowlist.add('tg:7', 'tg:1', NOW), 'already');
  assert.equal(repos.allowlist.has('tg:7'), true);
  assert.deepEqual(
    repos.allowlist.list().map((c) => [c.chat, c.addedBy]),
    [
      ['dc:5', 'env'],
      ['tg:-100', 'env'],
      ['tg:7', 'tg:1'],
    ],
  );
  assert.equal(repos.allowlist.remove('tg:7'), true);
  assert.equal(repos.allowlist.remove('tg:7'), false);
  assert.equal(repos.allowlist.has('tg:7'), false);
});

test('links and per-camera settings decide who gets an alert', (t) => {
  const { repos } = setup(t);
  const s = repos.sessions.saveForOwner(sessionInput('tg:1'), NOW);
  const link = repos.links.link({ chat: 'tg:-100', sessionId: s.id, linkedBy: 'tg:1' }, NOW);
  assert.equal(link.alertsEnabled, true);
  assert.deepEqual(
    repos.links.listBySession(s.id).map((l) => l.chat),
    ['tg:-100'],
  );
  assert.deepEqual(repos.alertSettings.shouldAlert('tg:-100', 'cam1', NOW), { send: true, quietHours: null });
  assert.deepEqual(repos.alertSettings.shouldAlert('tg:-999', 'cam1', NOW), { send: false, reason: 'not-linked' });

  repos.alertSettings.setCameraEnabled('tg:-100', 'cam1', false, NOW);
  assert.deepEqual(repos.alertSettings.shouldAlert('tg:-100', 'cam1', NOW), { send: false, reason: 'camera-off' });
  assert.equal(repos.alertSettings.shouldAlert('tg:-100', 'cam2', NOW).send, true);
  repos.alertSettings.setCameraEnabled('tg:-100', 'cam1', true, NOW);

  repos.alertSettings.setCameraMutedUntil('tg:-100', 'cam1', NOW + 1000, NOW);
  assert.deepEqual(repos.alertSettings.shouldAlert('tg:-100', 'cam1', NOW), { send: false, reason: 'camera-muted' });
  assert.equal(repos.alertSettings.shouldAlert('tg:-100', 'cam1', NOW + 1000).send, true, 'mute ends');
  assert.equal(repos.alertSettings.clearCameraMutes('tg:-100', NOW), 1);
  assert.equal(repos.alertSettings.get('tg:-100', 'cam1')?.mutedUntil, null);
  assert.equal(repos.alertSettings.listForChat('tg:-100').length, 1);

  repos.links.setMutedUntil('tg:-100', NOW + 500);
  assert.deepEqual(repos.alertSettings.shouldAlert('tg:-100', 'cam2', NOW), { send: false, reason: 'chat-muted' });
  repos.links.setMutedUntil('tg:-100', null);

  repos.links.setQuietHours('tg:-100', { start: '22:00', end: '07:00' });
  assert.deepEqual(repos.alertSettings.shouldAlert('tg:-100', 'cam2', NOW), { send: true, quietHours: { start: '22:00', end: '07:00' } });
  assert.throws(() => repos.links.setQuietHours('tg:-100', { start: '25:00', end: '07:00' }), RangeError);
  repos.links.setQuietHours('tg:-100', null);
  assert.equal(repos.links.get('tg:-100')?.quietHours, null);

  repos.links.setAlerts('tg:-100', false);
  assert.deepEqual(repos.alertSettings.shouldAlert('tg:-100', 'cam2', NOW), { send: false, reason: 'alerts-off' });
  repos.links.setActive('tg:-100', false);
  assert.deepEqual(repos.alertSettings.shouldAlert('tg:-100', 'cam2', NOW), { send: false, reason: 'inactive' });

  const relinked = repos.links.link({ chat: 'tg:-100', sessionId: s.id, linkedBy: 'tg:1' }, NOW + 1);
  assert.equal(relinked.alertsEnabled && relinked.active, true, '/link turns alerts back on');
  assert.equal(repos.alertSettings.listForChat('tg:-100').length, 1, 'same session keeps camera settings');

  const s2 = repos.sessions.saveForOwner(sessionInput('tg:2'), NOW);
  repos.links.link({ chat: 'tg:-100', sessionId: s2.id, linkedBy: 'tg:2' }, NOW + 2);
  assert.equal(repos.alertSettings.listForChat('tg:-100').length, 0, 'another session starts clean');

  assert.equal(repos.links.unlink('tg:-100'), true);
  assert.equal(repos.links.unlink('tg:-100'), false);
  assert.equal(repos.links.setAlerts('tg:-100', true), false);
});

test('quiet hours work within a day and across midnight', () => {
  assert.equal(isWithinQuietHours({ start: '22:00', end: '07:00' }, 23 * 60), true);
  assert.equal(isWithinQuietHours({ start: '22:00', end: '07:00' }, 6 * 60 + 59), true);
  assert.equal(isWithinQuietHours({ start: '22:00', end: '07:00' }, 7 * 60), false);
  assert.equal(isWithinQuietHours({ start: '09:00', end: '17:00' }, 12 * 60), true);
  assert.equal(isWithinQuietHours({ start: '09:00', end: '17:00' }, 8 * 60), false);
});

test('outbox: enqueue is idempotent per clip and chat, claims lease, retries back off, then fail', (t) => {
  const { repos } = setup(t);
  const s = repos.sessions.saveForOwner(sessionInput('tg:1'), NOW);
  const item = { sessionId: s.id, mediaId: 'm1', chat: 'tg:1', kind: 'motion' as const, payload: { camera: 'Porch' } };
  assert.equal(repos.outbox.enqueue(item, NOW), 'inserted');
  assert.equal(repos.outbox.enqueue(item, NOW + 1), 'already');
  assert.equal(repos.outbox.enqueue({ ...item, kind: 'ring' }, NOW), 'inserted');
  assert.deepEqual(repos.outbox.enqueueMany([item, { ...item, chat: 'tg:-100' }], NOW), { inserted: 1, already: 1 });
  assert.equal(repos.outbox.enqueue({ sessionId: null, mediaId: 'notice-1', chat: 'tg:9', kind: 'text', payload: 'hi' }, NOW), 'inserted');
  assert.equal(repos.outbox.enqueue({ sessionId: null, mediaId: 'notice-1', chat: 'tg:9', kind: 'text', payload: 'hi' }, NOW), 'already');

  assert.deepEqual(
    repos.outbox.listPendingForChat('tg:1').map((r) => r.kind),
    ['motion', 'ring'],
  );
  const claimed = repos.outbox.claimDue(NOW, { limit: 2, leaseMs: 60_000 });
  assert.equal(claimed.length, 2);
  assert.equal(claimed[0]?.attempts, 1);
  assert.deepEqual(claimed[0]?.payload, { camera: 'Porch' });
  const rest = repos.outbox.claimDue(NOW, { limit: 10 });
  assert.deepEqual(
    rest.filter((r) => claimed.some((c) => c.id === r.id)),
    [],
    'leased rows are not claimed twice',
  );
  assert.equal(rest.length, 2);
  assert.equal(repos.outbox.claimDue(NOW + 60_000, { limit: 10 }).length, 4, 'expired leases are retried');

  const first = claimed[0];
  assert.ok(first);
  assert.equal(repos.outbox.isDelivered(s.id, 'm1', 'tg:1'), false);
  assert.equal(repos.outbox.markSent(first.id, NOW + 5, '42'), true);
  assert.equal(repos.outbox.markSent(first.id, NOW + 6, '43'), false, 'sent once');
  assert.equal(repos.outbox.isDelivered(s.id, 'm1', 'tg:1'), true);
  assert.equal(repos.outbox.get(first.id)?.platformMessageId, '42');

  const second = claimed[1];
  assert.ok(second);
  // attempts is 2 after the second claim: delay = 1000 * 2^(2-1)
  assert.equal(repos.outbox.markFailed(second.id, NOW, { error: 'HTTP 502' }), 'retry');
  assert.equal(repos.outbox.get(second.id)?.nextAttemptAt, NOW + 2000);
  assert.equal(repos.outbox.markFailed(second.id, NOW, { error: 'HTTP 429', retryAfterMs: 30_000 }), 'retry');
  assert.equal(repos.outbox.get(second.id)?.nextAttemptAt, NOW + 30_000);
  repos.outbox.claimDue(NOW + 30_000);
  assert.equal(repos.outbox.markFailed(second.id, NOW, { error: 'HTTP 502' }), 'failed', 'out of attempts');
  assert.equal(repos.outbox.get(second.id)?.state, 'failed');

  const [third] = repos.outbox.listPendingForChat('tg:-100');
  assert.ok(third);
  assert.equal(repos.outbox.markFailed(third.id, NOW, { error: 'chat not found', permanent: true }), 'failed');
  const [notice] = repos.outbox.listPendingForChat('tg:9');
  assert.ok(notice);
  assert.equal(repos.outbox.markSkipped(notice.id, 'chat gone'), true);
  assert.equal(repos.outbox.get(notice.id)?.state, 'skipped');
  assert.equal(repos.outbox.markFailed(999, NOW, { error: 'x' }), 'unknown');
  // Retention: settled rows go, oldest first in batches; the pending notice stays.
  const before = repos.outbox.countByState();
  assert.equal(repos.outbox.pruneSettledBatch(NOW + 1, 1), 1);
  assert.equal(repos.outbox.pruneSettledBatch(NOW + 1, 100), before.sent + before.failed + before.skipped - 1);
  assert.deepEqual(repos.outbox.countByState(), { pending: before.pending, sent: 0, failed: 0, skipped: 0 });
});

test('clips seen: only new clips come back; old ones are pruned in batches, markers kept, horizon raised', (t) => {
  const { repos } = setup(t);
  const s = repos.sessions.saveForOwner(sessionInput('tg:1'), NOW);
  const clip = { sessionId: s.id, mediaId: 'm1', cameraId: 'c1', networkId: 'n1', createdAtMs: NOW - 100, source: 'pir' };
  repos.clipsSeen.setBaseline(s.id, NOW - 1_000, 0);
  assert.equal(repos.clipsSeen.recordSeen([clip, { ...clip, mediaId: 'm2', createdAtMs: NOW - 50 }], NOW).length, 2);
  assert.deepEqual(
    repos.clipsSeen.recordSeen([clip, { ...clip, mediaId: 'm3', createdAtMs: NOW + 9 }], NOW + 10).map((c) => c.mediaId),
    ['m3'],
  );
  assert.equal(repos.clipsSeen.has(s.id, 'm1'), true);
  assert.equal(repos.clipsSeen.forgottenUpTo(s.id), undefined);
  assert.equal(repos.clipsSeen.pruneBatch(NOW + 5, 1, NOW + 20), 1);
  assert.equal(repos.clipsSeen.pruneBatch(NOW + 5, 10, NOW + 20), 1);
  assert.equal(repos.clipsSeen.pruneBatch(NOW + 5, 10, NOW + 20), 0);
  assert.equal(repos.clipsSeen.has(s.id, 'm1'), false);
  assert.equal(repos.clipsSeen.has(s.id, 'm3'), true);
  assert.equal(repos.clipsSeen.forgottenUpTo(s.id), NOW - 50);
  // The baseline marker (first seen at 0) is never pruned.
  assert.equal(repos.clipsSeen.baselineOf(s.id), NOW - 1_000);
});

test('device health reports a change only after a baseline', (t) => {
  const { repos } = setup(t);
  const s = repos.sessions.saveForOwner(sessionInput('tg:1'), NOW);
  const h = { sessionId: s.id, deviceId: 'c1', kind: 'online' };
  assert.deepEqual(repos.health.record({ ...h, state: 'online' }, NOW), { changed: false, previous: null });
  assert.deepEqual(repos.health.record({ ...h, state: 'online' }, NOW + 1), { changed: false, previous: 'online' });
  assert.deepEqual(repos.health.record({ ...h, state: 'offline' }, NOW + 2), { changed: true, previous: 'online' });
  assert.equal(repos.health.get(s.id, 'c1', 'online')?.changedAt, NOW + 2);
  assert.equal(repos.health.listForSession(s.id).length, 1);
});

test('audit log records and lists newest first, per chat', (t) => {
  const { repos } = setup(t);
  repos.audit.record({ at: NOW, actor: 'tg:1', chat: 'tg:-100', action: 'arm', target: 'Home', result: 'ok', detail: null });
  repos.audit.record({ at: NOW + 1, actor: 'tg:2', chat: 'tg:-200', action: 'disarm', target: 'Home', result: 'error', detail: 'blink_busy' });
  assert.deepEqual(
    repos.audit.listRecent().map((e) => e.action),
    ['disarm', 'arm'],
  );
  assert.deepEqual(
    repos.audit.listRecent({ chat: 'tg:-100' }).map((e) => e.actor),
    ['tg:1'],
  );
  assert.equal(repos.audit.pruneBatch(NOW + 1, 10), 1);
  assert.deepEqual(
    repos.audit.listRecent().map((e) => e.action),
    ['disarm'],
  );
});

test('platform file ids are cached, replaced and forgotten', (t) => {
  const { repos } = setup(t);
  repos.platformFiles.put({ platform: 'tg', mediaKey: 's1:m1', fileId: 'F1', kind: 'video', sizeBytes: 10 }, NOW);
  repos.platformFiles.put({ platform: 'tg', mediaKey: 's1:m1', fileId: 'F2', kind: 'video', sizeBytes: 10 }, NOW);
  assert.equal(repos.platformFiles.get('tg', 's1:m1')?.fileId, 'F2');
  assert.equal(repos.platformFiles.get('dc', 's1:m1'), undefined);
  assert.equal(repos.platformFiles.forget('tg', 's1:m1'), true);
  assert.equal(repos.platformFiles.get('tg', 's1:m1'), undefined);
  repos.platformFiles.putIfAbsent({ platform: 'tg', mediaKey: 's1:m2', fileId: 'F3', kind: 'video' }, NOW);
  repos.platformFiles.putIfAbsent({ platform: 'tg', mediaKey: 's1:m2', fileId: 'F4', kind: 'video' }, NOW + 1);
  assert.equal(repos.platformFiles.get('tg', 's1:m2')?.fileId, 'F3');
  assert.equal(repos.platformFiles.pruneBatch(NOW, 10), 0);
  assert.equal(repos.platformFiles.pruneBatch(NOW + 1, 10), 1);
});

test('a database holding sealed tokens contains no plaintext token', (t) => {
  const dir = tempDir(t, 'blink-db-');
  const file = path.join(dir, 'bot.sqlite');
  const { db, repos } = setup(t, file);
  const sealer = createSealer(Buffer.alloc(32, 3));
  const tokens = JSON.stringify({ accessToken: 'ACCESS-PLAINTEXT-abc123', refreshToken: 'REFRESH-PLAINTEXT-def456' });
  const s = repos.sessions.saveForOwner({ ...sessionInput('tg:1'), sealedTokens: sealer.seal(tokens, 'tg:1') }, NOW);
  repos.sessions.updateTokens(s.id, sealer.seal(tokens, 'tg:1'), NOW, NOW);
  db.pragma('wal_checkpoint(TRUNCATE)');
  const stored = repos.sessions.getById(s.id)?.sealedTokens;
  assert.ok(stored);
  assert.equal(sealer.open(stored, 'tg:1'), tokens);
  for (const name of readdirSync(dir)) {
    const bytes = readFileSync(path.join(dir, name));
    for (const secret of ['ACCESS-PLAINTEXT', 'REFRESH-PLAINTEXT']) {
      assert.equal(bytes.includes(secret), false, `${secret} found in ${name}`);
    }
  }
});
