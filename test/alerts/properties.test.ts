import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { clipPayload } from '../../src/alerts/alert-payload.js';
import { createAlertStore } from '../../src/alerts/alert-store.js';
import { failureDelay, nextPollDelay } from '../../src/alerts/backoff.js';
import { decideClips } from '../../src/alerts/clip-decision.js';
import { createOwnerNotices } from '../../src/alerts/owner-notice.js';
import { createPollScheduler } from '../../src/alerts/poll-scheduler.js';
import type { BlinkClip } from '../../src/blink/types.js';
import { createManualClock } from '../../src/clock.js';
import { openDatabase } from '../../src/db/open-database.js';
import { createLinksRepository } from '../../src/db/repositories/links.js';
import { createSessionsRepository } from '../../src/db/repositories/sessions.js';
import { BlinkApiError, BlinkNetworkError, BlinkRateLimitError } from '../../src/errors.js';
import { createSilentLogger } from '../../src/log.js';
import { manySessionsRow, NO_CLIENTS } from './harness.js';

const LINK = 1_000_000;

const clipArb = fc.record({
  id: fc.integer({ min: 1, max: 40 }).map(String),
  createdAtMs: fc.integer({ min: LINK - 50_000, max: LINK + 50_000 }),
  deleted: fc.boolean(),
  source: fc.constantFrom('pir', 'button', 'snapshot', 'liveview', 'cv_motion'),
});

function toClip(c: { id: string; createdAtMs: number; deleted: boolean; source: string }): BlinkClip {
  const iso = new Date(c.createdAtMs).toISOString();
  return {
    id: c.id,
    cameraId: '1',
    cameraName: 'Cam',
    networkId: '9',
    createdAt: iso,
    createdAtMs: c.createdAtMs,
    updatedAt: iso,
    updatedAtMs: c.createdAtMs,
    deleted: c.deleted,
    partial: false,
    source: c.source,
    mediaPath: `/m/${c.id}.mp4`,
  };
}

test('P1: over any sequence of overlapping pages, each qualifying clip is queued exactly once', () => {
  fc.assert(
    fc.property(fc.array(fc.array(clipArb, { maxLength: 8 }), { maxLength: 6 }), (pages) => {
      const seen = new Set<string>();
      const queued: string[] = [];
      // A media id keeps its first appearance's attributes (Blink does not recycle ids).
      const canonical = new Map<string, ReturnType<typeof toClip>>();
      for (const page of pages) {
        const clips = page.map((c) => {
          const first = canonical.get(c.id) ?? toClip(c);
          canonical.set(c.id, first);
          return first;
        });
        const d = decideClips({
          sessionId: 's',
          linkedAtMs: LINK,
          clips,
          watermark: { updatedAt: '', updatedAtMs: 0 },
          isSeen: (id) => seen.has(id),
          isDoorbell: () => false,
          targets: () => ['tg:1'],
          held: new Map(),
          now: LINK,
          partialTimeoutMs: 1,
          backlogCap: 1_000,
        });
        for (const s of d.seen) seen.add(s.mediaId);
        for (const o of d.outbox) queued.push(o.mediaId);
      }
      const expected = [...canonical.values()]
        .filter((c) => !c.deleted && (c.source === 'pir' || c.source === 'button' || c.source === 'cv_motion') && c.createdAtMs >= LINK)
        .map((c) => c.id);
      assert.deepEqual([...queued].sort(), [...expected].sort());
    }),
  );
});

test('backlog: more than N new clips for a chat keep the newest N plus one summary line', () => {
  const clips = Array.from({ length: 8 }, (_, i) => toClip({ id: String(i + 1), createdAtMs: LINK + i * 1000, deleted: false, source: 'pir' }));
  const d = decideClips({
    sessionId: 's',
    linkedAtMs: LINK,
    clips,
    watermark: { updatedAt: '', updatedAtMs: 0 },
    isSeen: () => false,
    isDoorbell: () => false,
    targets: () => ['tg:1'],
    held: new Map(),
    now: LINK,
    partialTimeoutMs: 1,
    backlogCap: 5,
  });
  const pending = d.outbox.filter((o) => o.state !== 'skipped');
  assert.deepEqual(
    pending.map((o) => o.mediaId),
    ['backlog:3', '4', '5', '6', '7', '8'],
  );
  assert.deepEqual(pending[0]?.payload, { text: '3 older clips skipped (see /clips).' });
});

test('partial clips are held (cursor kept before them) until complete or timed out', () => {
  const held = new Map<string, number>();
  const partial = { ...toClip({ id: '1', createdAtMs: LINK + 10, deleted: false, source: 'pir' }), partial: true };
  const base = {
    sessionId: 's',
    linkedAtMs: LINK,
    watermark: { updatedAt: 'later', updatedAtMs: LINK + 999 },
    isSeen: () => false,
    isDoorbell: () => false,
    targets: () => ['tg:1'],
    held,
    partialTimeoutMs: 60_000,
    backlogCap: 5,
  };
  const first = decideClips({ ...base, clips: [partial], now: LINK });
  assert.equal(first.outbox.length, 0);
  assert.equal(first.watermark.updatedAtMs, partial.updatedAtMs);
  const late = decideClips({ ...base, clips: [partial], now: LINK + 61_000 });
  assert.equal(late.outbox.length, 1);
  assert.deepEqual(late.outbox[0]?.payload, clipPayload(partial, true));
});

test('P5: a backoff is within the cap, at least Retry-After, never 0 after a 429', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 40 }),
      fc.double({ min: 0, max: 0.999999, noNaN: true }),
      fc.option(fc.integer({ min: 0, max: 3_600_000 })),
      (failures, r, retryAfter) => {
        const policy = { periodMs: 60_000 };
        const error = retryAfter === null ? new BlinkApiError(500, 'media/changed') : new BlinkRateLimitError('media/changed', retryAfter);
        const delay = failureDelay(error, failures, policy, () => r);
        assert.ok(delay >= 57_000);
        if (retryAfter === null) assert.ok(delay <= 30 * 60_000);
        else assert.ok(delay >= Math.max(retryAfter === 0 ? 300_000 : retryAfter, 1));
        const next = nextPollDelay(60_000, () => r);
        assert.ok(Math.abs(next - 60_000) <= 3_000);
      },
    ),
  );
});

type Outcome = { kind: 'ok' } | { kind: '500' } | { kind: 'net' } | { kind: '429'; retryAfterMs: number };

const outcomeArb: fc.Arbitrary<Outcome> = fc.oneof(
  { weight: 3, arbitrary: fc.constant<Outcome>({ kind: 'ok' }) },
  fc.constant<Outcome>({ kind: '500' }),
  fc.constant<Outcome>({ kind: 'net' }),
  fc.integer({ min: 0, max: 20 * 60_000 }).map((retryAfterMs): Outcome => ({ kind: '429', retryAfterMs })),
);

test('P2: for any failure and 429 pattern, no account is polled sooner than period − jitter, nor during its backoff', async () => {
  const PERIOD = 60_000;
  const RUN_MS = 40 * 60_000;
  const STEP = 5_000;
  await fc.assert(
    fc.asyncProperty(
      fc.array(
        fc.record({
          // backoff_until already in the database at start-up (a restart during a backoff)
          initialBackoffMs: fc.option(fc.integer({ min: 1, max: 10 * 60_000 })),
          outcomes: fc.array(outcomeArb, { maxLength: 40 }),
        }),
        { minLength: 1, maxLength: 12 },
      ),
      fc.integer({ min: 1, max: 2_147_483_646 }),
      async (accounts, seed) => {
        const db = openDatabase({ path: ':memory:' });
        try {
          const clock = createManualClock();
          const start = clock.now();
          const sessions = createSessionsRepository(db);
          const store = createAlertStore(db);
          const ids = accounts.map((a, i) => {
            const s = sessions.saveForOwner(manySessionsRow(i), start);
            if (a.initialBackoffMs !== null) store.recordBackoff(s.id, start, start + a.initialBackoffMs);
            return s.id;
          });
          const byId = new Map(ids.map((id, i) => [id, accounts[i]]));
          const polls = new Map<string, number[]>(ids.map((id) => [id, []]));
          // Every backoff the scheduler stored: [id, set at, until].
          const backoffs: [string, number, number][] = [];
          let s = seed;
          const random = (): number => {
            s = (s * 16_807) % 2_147_483_647;
            return s / 2_147_483_647;
          };
          const scheduler = createPollScheduler({
            clock,
            random,
            log: createSilentLogger(),
            store: {
              ...store,
              recordBackoff(id, now, until) {
                if (until !== null) backoffs.push([id, now, until]);
                store.recordBackoff(id, now, until);
              },
            },
            sessions,
            blink: NO_CLIENTS,
            notices: createOwnerNotices({ store, links: createLinksRepository(db), sessions }),
            poll: async (id) => {
              const times = polls.get(id) ?? [];
              const outcome = byId.get(id)?.outcomes[times.length] ?? { kind: 'ok' };
              times.push(clock.now());
              await Promise.resolve();
              if (outcome.kind === '500') throw new BlinkApiError(500, 'media/changed');
              if (outcome.kind === 'net') throw new BlinkNetworkError('media/changed', 'connection reset');
              if (outcome.kind === '429') throw new BlinkRateLimitError('media/changed', outcome.retryAfterMs);
              return { kind: 'ok', alerts: 0 };
            },
            periodMs: PERIOD,
          });
          const ctl = new AbortController();
          const loop = scheduler.run(ctl.signal);
          for (let t = 0; t < RUN_MS; t += STEP) {
            await clock.advance(STEP);
            for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
          }
          ctl.abort();
          await loop;

          for (const [i, id] of ids.entries()) {
            const times = polls.get(id) ?? [];
            assert.ok(times.length > 0, `account ${i} never polled`);
            const initial = accounts[i]?.initialBackoffMs ?? null;
            if (initial !== null) assert.ok((times[0] ?? 0) >= start + initial, `account ${i} polled during its start-up backoff`);
            for (let k = 1; k < times.length; k++) {
              const gap = (times[k] ?? 0) - (times[k - 1] ?? 0);
              assert.ok(gap >= PERIOD * 0.95, `account ${i} polled again after ${gap} ms`);
            }
          }
          for (const [id, at, until] of backoffs) {
            const during = (polls.get(id) ?? []).find((p) => p > at && p < until);
            assert.equal(during, undefined, `a poll at ${String(during)} inside the backoff [${at}, ${until})`);
          }
        } finally {
          db.close();
        }
      },
    ),
    { numRuns: 30 },
  );
});
