/**
 * The quick requests-per-operation benchmark, in-process, so CI keeps the request budget:
 * an idle poll is exactly one Blink request.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runRequests } from '../bench/requests.js';
import { startBlinkSimulator } from '../src/simulator/index.js';
import { startFakeTelegram } from './helpers/fake-telegram/index.js';

test('bench smoke: Blink requests per operation', async (t) => {
  const sim = await startBlinkSimulator({ seed: { accounts: [] } });
  t.after(() => sim.close());
  const fake = await startFakeTelegram({ port: 0, controlRoutes: true });
  t.after(() => fake.close());

  const r = await runRequests({ simUrl: sim.url, tgApiRoot: fake.apiRoot, tgToken: fake.token, rounds: 1 });

  assert.equal(r.ops.idlePoll.median, 1, `idle poll: ${JSON.stringify(r.ops.idlePoll.routes)}`);
  assert.deepEqual(Object.keys(r.ops.idlePoll.routes), ['GET /api/v1/accounts/:a/media/changed']);
  // One change check, the clip download and its thumbnail (the alert video's cover);
  // start-up adds one inventory read.
  assert.equal(r.ops.newClipPoll.median, 3, JSON.stringify(r.ops.newClipPoll.routes));
  assert.equal(r.ops.newClipPoll.routes['GET /api/v1/accounts/:a/media/changed'], 1);
  assert.ok(r.ops.startup.median <= 2, JSON.stringify(r.ops.startup.routes));
  // Never worse than blinkpy's figures for the same account.
  assert.ok(r.ops.status.median <= 8);
  assert.ok(r.ops.download50.median <= 53);
});
