/**
 * F28 in CI: 15 SIGKILLs of the real bot process at seeded random moments while clips and
 * commands flow (bounded and reproducible; `npm run soak` runs the long version).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCrashSoak } from '../soak/crash-run.js';

test('SIGKILLed 15 times while alerts and commands flow: database intact, no alert lost, duplicates ≤ kills, session kept', { timeout: 110_000 }, async () => {
  const result = await runCrashSoak({ kills: 15, seed: 20261126 });
  process.stdout.write(
    `# crash figures: kills survived ${result.kills}, clips ${result.clipsCreated} × ${result.chats} chats, delivered ${result.delivered}, ` +
      `lost ${result.lost.length}, duplicates ${result.duplicates}, commands ${result.commandsSent}, outbox ${JSON.stringify(result.outbox)}\n`,
  );
  assert.equal(result.integrity, 'ok');
  assert.equal(result.foreignKeyProblems, 0);
  assert.deepEqual(result.lost, [], 'every clip reached every linked chat');
  assert.ok(result.duplicates <= result.kills, `duplicates ${result.duplicates} ≤ kills ${result.kills}`);
  assert.equal(result.delivered, result.clipsCreated * result.chats);
  assert.ok(result.clipsCreated >= 10, 'enough clips flowed to mean something');
  assert.ok(result.sessionIntact, 'the session survived, answers /status, and the bot stopped cleanly');
});
