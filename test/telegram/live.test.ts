/**
 * /live and /record over Telegram with the whole app (createApp) against the simulator: the
 * relay streams real H.264 ten times faster than real time; the bot trusts its test-only
 * certificate through the live view CA option.
 */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import type { ImmisFault } from '../../src/simulator/index.js';
import { startApp, textOfCall, GROUP, OWNER, type AppHarness } from '../hardening/app-harness.js';
import { until } from '../helpers/until.js';
import { liveClientOptions, liveSimOptions } from '../helpers/live-sim.js';
import { mp4Facts } from '../helpers/mp4-check.js';

const FRONT_DOOR = 4001;

async function liveApp(t: TestContext, timing = {}): Promise<AppHarness> {
  const h = await startApp(t, { sim: { ...liveSimOptions, recordSource: 'pir' }, live: (sim) => liveClientOptions(sim, timing) });
  await h.login();
  return h;
}

const doneCalls = (h: AppHarness): number => h.sim.requestLog().filter((e) => e.method === 'POST' && /\/command\/\d+\/done\/$/.test(e.path)).length;

async function noOpenSockets(h: AppHarness): Promise<void> {
  await until(() => h.sim.immisStats().open === 0, 'every immis socket closed');
}

test('/live Front Door 5: an MP4 of about 5 s with moov first, progress edits, record_video, command ended, no socket left', async (t) => {
  const h = await liveApp(t);
  const since = h.fake.calls.length;
  const calls = await h.command(OWNER, '/live Front Door 5', OWNER, 15_000);
  const video = calls.find((c) => c.method === 'sendVideo');
  assert.ok(video, `a video was sent: ${calls.map((c) => `${c.method}:${textOfCall(c)}`).join(' | ')}`);
  const bytes = video.files[0]?.bytes;
  assert.ok(bytes);
  const facts = await mp4Facts(bytes);
  assert.deepEqual(facts.boxes.slice(0, 3), ['ftyp', 'moov', 'mdat']);
  assert.equal(facts.codec, 'avc');
  assert.ok(Math.abs(facts.durationSeconds - 5) <= 0.5, `duration ${facts.durationSeconds}`);
  assert.match(textOfCall(video), /Front Door · Home · /);
  assert.match(textOfCall(video), /drains Front Door's battery/);
  const progress = h.fake.calls.filter((c) => c.seq > since && /● recording \d+\/5 s/.test(textOfCall(c)));
  assert.ok(progress.length >= 2, 'progress shown and edited');
  assert.ok(h.fake.calls.some((c) => c.seq > since && c.method === 'sendChatAction' && c.params['action'] === 'record_video'));
  assert.equal(doneCalls(h), 1);
  await noOpenSockets(h);
});

test('/live on a wired camera (Mini) has no battery note', async (t) => {
  const h = await liveApp(t);
  const calls = await h.command(OWNER, '/live Living Room 5', OWNER, 15_000);
  const video = calls.find((c) => c.method === 'sendVideo');
  assert.ok(video);
  assert.doesNotMatch(textOfCall(video), /battery/);
});

const faults: [ImmisFault, RegExp][] = [
  ['refuse', /could not be opened/],
  ['stall', /stopped sending video/],
  ['cut', /broke off/],
  ['garbage', /readable video/],
];
for (const [fault, reply] of faults) {
  test(`/live with the stream "${fault}": a clear reply, no video, command ended, no socket left`, async (t) => {
    const h = await liveApp(t, { stallMs: 300 });
    h.sim.immisFault(fault);
    const calls = await h.command(OWNER, '/live Front Door 5', OWNER, 15_000);
    assert.ok(!calls.some((c) => c.method === 'sendVideo'), 'nothing half-sent');
    assert.match(textOfCall(calls.at(-1)), reply);
    assert.equal(doneCalls(h), 1);
    await noOpenSockets(h);
  });
}

test('/live on a busy camera or an offline one: a clear reply and no stream', async (t) => {
  const h = await liveApp(t);
  h.sim.injectFault({ method: 'POST', path: '/liveview', busy: true });
  const busy = await h.command(OWNER, '/live Front Door', OWNER, 15_000);
  assert.match(textOfCall(busy.at(-1)), /Front Door is busy/);
  h.sim.setCameraState(FRONT_DOOR, { online: false });
  const offline = await h.command(OWNER, '/live Front Door', OWNER, 15_000);
  assert.match(textOfCall(offline.at(-1)), /Front Door is offline/);
  assert.equal(h.sim.immisStats().connections, 0);
});

test('/live out of range: the usage with the range', async (t) => {
  const h = await liveApp(t);
  assert.match(textOfCall(await h.say(OWNER, '/live Front Door 60')), /5 to 30 seconds/);
});

test('a second /live of the same camera (from another chat) says who is watching', async (t) => {
  const h = await liveApp(t);
  await h.say(OWNER, '/link', GROUP);
  h.fake.sendUserMessage({ userId: OWNER, chatId: OWNER, text: '/live Front Door 30' });
  await h.fake.waitFor((c) => /● recording [1-9]/.test(textOfCall(c)), { timeoutMs: 10_000 });
  h.fake.sendUserMessage({ userId: OWNER, chatId: GROUP, text: '/live front' });
  await h.fake.waitFor((c) => Number(c.params['chat_id']) === GROUP && /is watching Front Door live right now/.test(textOfCall(c)), { timeoutMs: 10_000 });
  await h.stop();
  await noOpenSockets(h);
});

test('shutdown in the middle of /live: no video, the command is ended, no socket left', async (t) => {
  const h = await liveApp(t);
  h.fake.sendUserMessage({ userId: OWNER, chatId: OWNER, text: '/live Front Door 30' });
  await h.fake.waitFor((c) => /● recording [2-9]/.test(textOfCall(c)), { timeoutMs: 10_000 });
  await h.stop();
  assert.ok(!h.fake.calls.some((c) => c.method === 'sendVideo'), 'nothing half-sent');
  assert.equal(doneCalls(h), 1);
  await noOpenSockets(h);
});

test('/record Front Door: the camera records, the new clip is sent here once Blink lists it', async (t) => {
  const h = await liveApp(t);
  const before = new Set(h.sim.state.media.keys());
  const calls = await h.command(OWNER, '/record Front Door', OWNER, 15_000);
  const video = calls.find((c) => c.method === 'sendVideo');
  assert.ok(video, calls.map((c) => textOfCall(c)).join(' | '));
  const added = [...h.sim.state.media.keys()].filter((id) => !before.has(id));
  assert.equal(added.length, 1);
  assert.deepEqual(video.files[0]?.bytes, h.sim.expectedClipBytes(added[0] ?? -1));
  assert.ok(
    calls.some((c) => /Waiting for Blink to list the clip/.test(textOfCall(c))),
    'progress shown',
  );
});
