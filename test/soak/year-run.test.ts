import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runYear } from './year-run.js';

// Three simulated days of the year run with a one-day retention, and Blink purging clips
// after two days (the harness then settles their counts): the full run is
// `npm run soak -- --year` (docs/endurance.md).
test('year mode, 3 days with 1-day retention: no alert lost or repeated, old rows pruned, tables bounded', async () => {
  const result = await runYear({ days: 3, reportDays: [1, 3], retentionDays: 1, blinkRetentionDays: 2, clipsPerDay: 24, pollMinutes: 30 });
  assert.ok(result.clipsCreated >= 60, `clips created: ${result.clipsCreated}`);
  assert.equal(result.lost, 0);
  assert.equal(result.repeated, 0);
  assert.equal(result.delivered, result.expected);
  assert.equal(result.otherMessages, 0, 'no backlog summaries or notices instead of clips');
  assert.ok(result.pruned.clipsSeen > 0 && result.pruned.outbox > 0 && result.pruned.platformFiles > 0, JSON.stringify(result.pruned));
  const last = result.rows.at(-1);
  assert.equal(last?.day, 3);
  // About one day of clips is kept, not three (7 marker rows/slack aside).
  assert.ok((last?.rows['clips_seen'] ?? Infinity) < 0.6 * result.clipsCreated, JSON.stringify(last?.rows));
  assert.ok((last?.rows['outbox'] ?? Infinity) < 0.6 * result.expected, JSON.stringify(last?.rows));
});
