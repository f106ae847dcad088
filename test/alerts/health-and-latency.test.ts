import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FRONT_DOOR, OWNER, startHarness } from './harness.js';

const texts = (sent: { chat: string; reply: { parts: { type: string; text?: string }[] } }[]): string[] =>
  sent.filter((s) => s.chat === OWNER).map((s) => s.reply.parts.map((p) => p.text ?? '').join(' '));

test('camera offline/online and battery low each fire once per transition', async (t) => {
  const h = await startHarness(t);
  await h.poll(); // baseline of device health
  h.sim.setCameraState(FRONT_DOOR, { online: false });
  await h.clock.advance(10 * 60_000);
  await h.poll();
  await h.clock.advance(10 * 60_000);
  await h.poll(); // still offline: nothing new
  h.sim.setCameraState(FRONT_DOOR, { online: true, battery: 'low' });
  await h.clock.advance(10 * 60_000);
  await h.poll();
  assert.deepEqual(texts(h.sender.sent), ['⚠️ Front Door (Home) is offline.', '✅ Front Door (Home) is back online.', '🪫 Front Door (Home): battery low.']);
});

test('health alerts respect a camera mute', async (t) => {
  const h = await startHarness(t);
  await h.poll();
  h.settings.setCameraMutedUntil(OWNER, String(FRONT_DOOR), h.clock.now() + 3_600_000, h.clock.now());
  h.sim.setCameraState(FRONT_DOOR, { online: false });
  await h.clock.advance(10 * 60_000);
  await h.poll();
  assert.equal(h.sender.sent.length, 0);
});

test('the bot adds little latency between changesSince and the sender opening the clip', async (t) => {
  const h = await startHarness(t);
  await h.poll();
  for (let i = 0; i < 20; i++) {
    await h.clock.advance(60_000);
    h.sim.addClip({ cameraId: FRONT_DOOR, source: 'pir' });
    await h.poll();
  }
  const samples = h.service.stats().latency;
  assert.equal(samples.length, 20);
  const send = samples.map((s) => s.sendMs ?? Number.NaN).sort((a, b) => a - b);
  const open = samples.map((s) => s.openMs).sort((a, b) => a - b);
  const first = samples.map((s) => s.firstByteMs ?? Number.NaN).sort((a, b) => a - b);
  const pct = (xs: number[], p: number): number => xs[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? Number.NaN;
  t.diagnostic(`send p50 ${pct(send, 0.5).toFixed(2)} ms, p95 ${pct(send, 0.95).toFixed(2)} ms`);
  t.diagnostic(
    `open p50 ${pct(open, 0.5).toFixed(2)} ms, p95 ${pct(open, 0.95).toFixed(2)} ms; first byte p50 ${pct(first, 0.5).toFixed(2)} ms, p95 ${pct(first, 0.95).toFixed(2)} ms`,
  );
  assert.ok(pct(send, 0.5) < 50, `send p50 ${pct(send, 0.5)} ms`);
  assert.ok(pct(open, 0.5) < 100, `open p50 ${pct(open, 0.5)} ms`);
});
