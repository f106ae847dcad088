/**
 * /live and /record over Discord with the whole app (createApp) against the simulator and the
 * fake Discord: the relay streams real H.264 ten times faster than real time; the bot trusts
 * its test-only certificate through the live view CA option. The video is the attachment of
 * the interaction's reply, within the interaction's attachment_size_limit.
 */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { until } from '../helpers/until.js';
import { ownerDm, startDiscordApp, type DiscordAppHarness } from '../hardening/discord-app-harness.js';
import type { RecordedMessage } from '../helpers/fake-discord/index.js';
import { liveClientOptions, liveSimOptions } from '../helpers/live-sim.js';
import { mp4Facts } from '../helpers/mp4-check.js';

async function liveApp(t: TestContext): Promise<DiscordAppHarness> {
  const h = await startDiscordApp(t, { sim: { ...liveSimOptions, recordSource: 'pir' }, live: (sim) => liveClientOptions(sim) });
  await h.login();
  return h;
}

const doneCalls = (h: DiscordAppHarness): number => h.sim.requestLog().filter((e) => e.method === 'POST' && /\/command\/\d+\/done\/$/.test(e.path)).length;
const withVideo = (m: RecordedMessage): boolean => m.attachments.some((a) => a.filename.endsWith('.mp4'));
const progressLines = (h: DiscordAppHarness, pattern: RegExp): number =>
  h.fake.calls().filter((c) => c.route === 'PATCH /webhooks/:app/:token/messages/:message' && pattern.test(JSON.stringify(c.body ?? ''))).length;

async function noOpenSockets(h: DiscordAppHarness): Promise<void> {
  await until(() => h.sim.immisStats().open === 0, 'every immis socket closed');
}

test('Discord /live Front Door 5: an MP4 attachment of about 5 s with moov first, progress edits, command ended, no socket left', async (t) => {
  const h = await liveApp(t);
  const handle = h.fake.sendSlashCommand({ name: 'live', options: { camera: 'Front Door', seconds: '5' }, ...ownerDm });
  const { message } = await h.answer(handle, withVideo, 15_000);
  const video = message.attachments.find((a) => a.filename.endsWith('.mp4'));
  assert.ok(video);
  const facts = await mp4Facts(video.bytes);
  assert.deepEqual(facts.boxes.slice(0, 3), ['ftyp', 'moov', 'mdat']);
  assert.equal(facts.codec, 'avc');
  assert.ok(Math.abs(facts.durationSeconds - 5) <= 0.5, `duration ${facts.durationSeconds}`);
  assert.match(message.content, /Front Door · Home · /);
  assert.match(message.content, /drains Front Door's battery/);
  assert.ok(progressLines(h, /● recording \d+\/5 s/) >= 2, 'progress shown and edited');
  assert.equal(doneCalls(h), 1);
  await noOpenSockets(h);
});

test('Discord /live over the interaction attachment limit: a shorter clip with a note, never the whole one', async (t) => {
  const h = await liveApp(t);
  // A first run with the default limit gives the size of a whole 5 s clip here.
  const whole = await h.answer(h.fake.sendSlashCommand({ name: 'live', options: { camera: 'Front Door', seconds: '5' }, ...ownerDm }), withVideo, 15_000);
  const wholeBytes = whole.message.attachments[0]?.bytes.length ?? 0;
  assert.ok(wholeBytes > 0);
  const limit = Math.floor(wholeBytes * 0.8);
  const handle = h.fake.sendSlashCommand({ name: 'live', options: { camera: 'Front Door', seconds: '5' }, attachmentSizeLimit: limit, ...ownerDm });
  const { message } = await h.answer(handle, withVideo, 15_000);
  const video = message.attachments.find((a) => a.filename.endsWith('.mp4'));
  assert.ok(video);
  assert.ok(video.bytes.length <= limit, `${video.bytes.length} bytes within the ${limit}-byte limit`);
  const facts = await mp4Facts(video.bytes);
  assert.equal(facts.codec, 'avc');
  assert.deepEqual(facts.boxes.slice(0, 2), ['ftyp', 'moov']);
  assert.ok(facts.durationSeconds >= 1.5 && facts.durationSeconds <= 3, `a shorter clip: ${facts.durationSeconds} s`);
  assert.match(message.content, /too large to send here/);
  assert.match(message.content, /first 2 s/);
  assert.match(message.content, /Front Door · Home · /);
  const uploaded = h.fake.calls().flatMap((c) => c.files);
  assert.ok(
    uploaded.every((f) => f.bytes.length <= limit || f.bytes.length === wholeBytes),
    'no doomed upload over the limit',
  );
  assert.equal(uploaded.filter((f) => f.bytes.length > limit).length, 1, 'only the first run sent a whole clip');
  assert.equal(doneCalls(h), 2);
  await noOpenSockets(h);
});

test('Discord /record Front Door: the camera records, the new clip is the attachment once Blink lists it', async (t) => {
  const h = await liveApp(t);
  const before = new Set(h.sim.state.media.keys());
  const handle = h.fake.sendSlashCommand({ name: 'record', options: { camera: 'Front Door' }, ...ownerDm });
  const { message } = await h.answer(handle, withVideo, 15_000);
  const added = [...h.sim.state.media.keys()].filter((id) => !before.has(id));
  assert.equal(added.length, 1);
  assert.ok(message.attachments[0]?.bytes.equals(h.sim.expectedClipBytes(added[0] ?? -1)), 'the new clip, byte for byte');
  assert.match(message.content, /Front Door · Home · /);
  assert.ok(progressLines(h, /Waiting for Blink to list the clip/) >= 1, 'progress shown');
});

test('Discord shutdown in the middle of /live: nothing half-sent, the command is ended, no socket left, no call after stop', async (t) => {
  const h = await liveApp(t);
  const handle = h.fake.sendSlashCommand({ name: 'live', options: { camera: 'Front Door', seconds: '30' }, ...ownerDm });
  await until(() => progressLines(h, /● recording [2-9]/) > 0, 'recording under way', 15_000);
  await h.stop();
  assert.equal(doneCalls(h), 1, 'the live view command was ended before stop returned');
  await noOpenSockets(h);
  const calls = h.fake.calls().length;
  // Long enough for the 30 s stream (3 s here) to have finished had it not been stopped.
  await new Promise((r) => setTimeout(r, 3500));
  assert.equal(
    h.fake.calls().length,
    calls,
    `no Discord call after stop: ${h.fake
      .calls()
      .slice(calls)
      .map((c) => c.route)
      .join(', ')}`,
  );
  const result = await h.fake.waitForInteractionResponse(handle, () => true, 100);
  assert.ok(!result.events.some((e) => e.files.length > 0), 'no attachment');
  assert.equal(h.sim.immisStats().open, 0);
});
