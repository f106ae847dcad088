import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decideClips } from '../../src/alerts/clip-decision.js';
import type { BlinkClip } from '../../src/blink/types.js';

const T = 1_800_000_000_000;
const clip = (id: string, createdAtMs: number): BlinkClip => {
  const iso = new Date(createdAtMs).toISOString();
  return {
    id,
    cameraId: '1',
    cameraName: 'Cam',
    networkId: '9',
    createdAt: iso,
    createdAtMs,
    updatedAt: iso,
    updatedAtMs: createdAtMs,
    deleted: false,
    partial: false,
    source: 'pir',
    mediaPath: `/m/${id}.mp4`,
  };
};
const base = {
  sessionId: 's',
  linkedAtMs: T - 10 * 3_600_000,
  watermark: { updatedAt: '', updatedAtMs: 0 },
  isSeen: () => false,
  isDoorbell: () => false,
  targets: () => ['tg:1'],
  partialTimeoutMs: 1,
  backlogCap: 2,
};

test("clips older than the max age (by Blink's clock) join the backlog summary line; the cap applies to the rest", () => {
  const clips = [
    clip('1', T - 3 * 3_600_000),
    clip('2', T - 2 * 3_600_000),
    clip('3', T - 30 * 60_000),
    clip('4', T - 20 * 60_000),
    clip('5', T - 10 * 60_000),
  ];
  // Our clock is 2 h behind Blink: ages come from `ageNow` (Blink's Date header), not `now`.
  const d = decideClips({ ...base, clips, held: new Map(), now: T - 2 * 3_600_000, ageNow: T, maxAgeMs: 3_600_000 });
  const pending = d.outbox.filter((o) => o.state !== 'skipped');
  assert.deepEqual(
    pending.map((o) => o.mediaId),
    ['backlog:3', '4', '5'],
  );
  assert.deepEqual(pending[0]?.payload, { text: '3 older clips skipped (see /clips).' });
  assert.deepEqual(
    d.outbox.filter((o) => o.state === 'skipped').map((o) => o.mediaId),
    ['1', '2', '3'],
  );
  assert.equal(d.seen.length, 5);
});

test('the baseline marks every clip seen and alerts nothing, whatever its time', () => {
  const d = decideClips({ ...base, clips: [clip('1', T), clip('2', T + 3_600_000)], held: new Map(), now: T, baseline: true });
  assert.deepEqual(d.outbox, []);
  assert.deepEqual(
    d.seen.map((s) => s.mediaId),
    ['1', '2'],
  );
});
