import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FRONT_DOOR, OWNER, advanceBy, startHarness } from './harness.js';
import { until } from '../helpers/until.js';

const CHANGED = 'GET /api/v1/accounts/:a/media/changed';

const textsTo = (sent: { chat: string; reply: { parts: { type: string; text?: string; caption?: string }[] } }[], chat: string): string[] =>
  sent.filter((s) => s.chat === chat).map((s) => s.reply.parts.map((p) => p.text ?? p.caption ?? '').join(' '));

test('an idle account costs one request per poll period', async (t) => {
  const h = await startHarness(t);
  const ctl = new AbortController();
  h.service.start(ctl.signal);
  await advanceBy(h.clock, 61_000, 1_000); // first poll (phase spread)
  await until(() => (h.sim.requestCounts()[CHANGED] ?? 0) >= 1, 'the first poll');
  h.sim.resetCounts();
  await advanceBy(h.clock, 5 * 60_000, 1_000);
  const counts = h.sim.requestCounts();
  const changed = counts[CHANGED] ?? 0;
  assert.ok(changed >= 4 && changed <= 6, JSON.stringify(counts));
  // Besides the change checks, only the start-up inventory read, which is spread over the
  // health interval (10 min; random 0.5 puts it in this window) instead of riding on the first poll.
  assert.ok(counts.total - changed <= 1, JSON.stringify(counts));
  ctl.abort();
});

test('an idle poll writes nothing to the database; a new clip moves the cursor', async (t) => {
  const h = await startHarness(t);
  const changes = h.db.prepare<[], { n: number }>('SELECT total_changes() AS n');
  const written = (): number => changes.get()?.n ?? Number.NaN;
  await h.poll(); // baseline, and the first inventory read
  await h.clock.advance(60_000);
  await h.poll();
  const before = written();
  for (let i = 0; i < 3; i++) {
    await h.clock.advance(60_000);
    await h.poll();
  }
  assert.equal(written(), before, 'idle polls changed rows');
  await h.clipLater({ cameraId: FRONT_DOOR, source: 'pir' });
  await h.poll();
  assert.ok(written() > before, 'the poll with a new clip stored nothing');
  assert.equal(h.sessions.getById(h.sessionId)?.pollWatermark !== null, true);
});

test('a 429 with Retry-After: no request for that account before it passes, and the clip still arrives', async (t) => {
  const h = await startHarness(t);
  await h.poll();
  const ctl = new AbortController();
  h.service.start(ctl.signal);
  h.sim.injectFault({ path: 'media/changed', status: 429, retryAfterSec: 120 });
  h.sim.addClip({ cameraId: FRONT_DOOR, source: 'pir' });
  await advanceBy(h.clock, 300_000, 1_000);
  const polls = h.sim.requestLog().filter((r) => r.routeClass === CHANGED);
  const limited = polls.find((r) => r.status === 429);
  assert.ok(limited, 'the fault was hit');
  const next = polls.find((r) => r.time > limited.time);
  assert.ok(next, 'polling resumed');
  assert.ok(next.time - limited.time >= 120_000, `resumed after ${next.time - limited.time} ms`);
  await until(() => h.sender.sent.length === 1, 'the clip after the pause');
  ctl.abort();
});

test('a 429 without Retry-After pauses the account at least 5 minutes', async (t) => {
  const h = await startHarness(t);
  await h.poll();
  const ctl = new AbortController();
  h.service.start(ctl.signal);
  h.sim.injectFault({ path: 'media/changed', status: 429 });
  await advanceBy(h.clock, 10 * 60_000, 2_000);
  const polls = h.sim.requestLog().filter((r) => r.routeClass === CHANGED);
  const limited = polls.find((r) => r.status === 429);
  assert.ok(limited);
  const next = polls.find((r) => r.time > limited.time);
  assert.ok(next);
  assert.ok(next.time - limited.time >= 5 * 60_000, `resumed after ${next.time - limited.time} ms`);
  ctl.abort();
});

test('Blink 500s delay but do not lose the alert; the owner hears nothing before 30 minutes', async (t) => {
  const h = await startHarness(t);
  await h.poll();
  const ctl = new AbortController();
  h.service.start(ctl.signal);
  h.sim.injectFault({ path: 'media/changed', status: 500, times: 3 });
  h.sim.addClip({ cameraId: FRONT_DOOR, source: 'pir' });
  await advanceBy(h.clock, 20 * 60_000, 5_000);
  await until(() => h.sender.sent.length === 1, 'the clip after the 500s');
  assert.equal(h.sim.requestLog().filter((r) => r.status === 500).length, 3);
  assert.equal(textsTo(h.sender.sent, OWNER).filter((x) => /Blink has not answered/.test(x)).length, 0);
  ctl.abort();
});

test('after 30 minutes of failures the owner is told once, and once on recovery', async (t) => {
  const h = await startHarness(t);
  await h.poll();
  const ctl = new AbortController();
  h.service.start(ctl.signal);
  h.sim.injectFault({ path: 'media/changed', status: 503, times: Number.POSITIVE_INFINITY });
  await advanceBy(h.clock, 90 * 60_000, 10_000);
  await until(() => textsTo(h.sender.sent, OWNER).some((x) => /not answered/.test(x)), 'the outage notice');
  h.sim.clearFaults();
  await advanceBy(h.clock, 60 * 60_000, 10_000);
  await until(() => textsTo(h.sender.sent, OWNER).some((x) => /answers again/.test(x)), 'the recovery notice');
  const texts = textsTo(h.sender.sent, OWNER);
  assert.equal(texts.filter((x) => /not answered/.test(x)).length, 1);
  assert.equal(texts.filter((x) => /answers again/.test(x)).length, 1);
  ctl.abort();
});

test('a refused session stops being polled and its owner is told exactly once', async (t) => {
  const h = await startHarness(t, { group: true });
  await h.poll();
  const ctl = new AbortController();
  h.service.start(ctl.signal);
  h.sim.revokeRefreshTokens(1001);
  h.sim.expireAccessTokens(1001);
  await advanceBy(h.clock, 3 * 60_000, 1_000);
  await until(() => h.sender.sent.length >= 1, 'the login notice');
  h.sim.resetCounts();
  await advanceBy(h.clock, 10 * 60_000, 5_000);
  assert.equal(h.sim.requestCounts().total, 0, 'no Blink request after the session was refused');
  const notices = h.sender.sent.filter((s) => /\/login/.test(s.reply.parts.map((p) => (p.type === 'text' ? p.text : '')).join('')));
  assert.equal(notices.length, 1);
  assert.equal(notices[0]?.chat, OWNER);
  assert.equal(h.sessions.getById(h.sessionId)?.state, 'needs-login');
  ctl.abort();
});

test('first polls of many sessions spread over the period', async (t) => {
  const h = await startHarness(t);
  const ctl = new AbortController();
  h.service.start(ctl.signal);
  // One session only in the simulator, but its phase must not be "now": it waits up to a period.
  await advanceBy(h.clock, 10_000, 1_000);
  assert.equal(h.sim.requestCounts()[CHANGED] ?? 0, 0, 'random 0.5 puts the first poll at ~30 s');
  await advanceBy(h.clock, 25_000, 1_000);
  await until(() => (h.sim.requestCounts()[CHANGED] ?? 0) === 1, 'the first poll');
  ctl.abort();
});
