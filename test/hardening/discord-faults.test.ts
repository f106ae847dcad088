/**
 * The fault matrix's Discord rows, end to end (createApp + simulator + fake Discord):
 * 429 on an interaction edit, 500 on an alert post (outbox retry), 404 Unknown Webhook on a
 * late edit (F26), 403 Missing Access on an alert channel (F20), the gateway dropping while
 * alerts flow, and a clip over the interaction's attachment_size_limit (F17).
 * README "Reliability" mirrors these rows.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RecordedMessage } from '../helpers/fake-discord/index.js';
import { until } from '../helpers/until.js';
import { recordFaults } from './budget.js';
import { CHANNEL, OWNER, OWNER_DM, ownerDm, ownerInChannel, startDiscordApp, type DiscordAppHarness } from './discord-app-harness.js';

const FRONT_DOOR = 4001;
const POST = 'POST /channels/:channel/messages';
const EDIT = 'PATCH /webhooks/:app/:token/messages/:message';
const posts = (messages: RecordedMessage[]): RecordedMessage[] => messages.filter((m) => m.interactionId === undefined && !m.deleted);
const toChannel = (h: DiscordAppHarness, channel: string, status?: number): number =>
  h.fake.callsOf(POST).filter((c) => c.params['channel'] === channel && (status === undefined || c.status === status)).length;

/** Logged in from the DM, the channel linked, the DM's own alerts off (so only the channel posts alerts). */
async function linkedChannel(t: Parameters<typeof startDiscordApp>[0], options: Parameters<typeof startDiscordApp>[1] = {}): Promise<DiscordAppHarness> {
  const h = await startDiscordApp(t, options);
  await h.login();
  await h.slash(ownerInChannel, 'link', {}, (m) => /uses|linked/i.test(m.content));
  await h.slash(ownerDm, 'alerts', { state: 'off' }, (m) => /off/i.test(m.content));
  return h;
}

test('Discord 429 on the interaction edit: waited out by @discordjs/rest, exactly one result message', async (t) => {
  const h = await startDiscordApp(t);
  await h.login();
  recordFaults(1);
  h.fake.failNext({ route: EDIT, status: 429, retryAfter: 1 });
  const handle = h.fake.sendSlashCommand({ name: 'status', ...ownerDm });
  await h.answer(handle, (m) => /Front Door/.test(m.content));
  // Real time on purpose (short): a second retry of the edit would come within 200 ms.
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(h.fake.callsOf(EDIT).filter((c) => c.status === 429).length, 1, 'the 429 was hit');
  const results = h.fake.channelMessages(OWNER_DM).filter((m) => m.interactionId === handle.id && !m.deleted);
  assert.equal(results.length, 1, 'one result message');
  assert.match(results[0]?.content ?? '', /Front Door/);
});

test('Discord 500 on an alert post: retried later by the outbox, delivered once', async (t) => {
  const h = await linkedChannel(t, { random: () => 0 });
  recordFaults(4);
  // @discordjs/rest retries a 5xx 3 times itself: 4 failures make it the outbox's problem.
  h.fake.failNext({ route: POST, status: 500, times: 4 });
  const clipId = h.sim.addClip({ cameraId: FRONT_DOOR, source: 'pir', size: 3000 });
  await h.app.alerts.pollNow(h.sessionId());
  assert.equal(toChannel(h, CHANNEL, 500), 4);
  assert.equal(posts(h.fake.channelMessages(CHANNEL)).length, 0);
  await until(() => posts(h.fake.channelMessages(CHANNEL)).length === 1, 'the retried alert', 15_000);
  await h.app.alerts.flush(); // every due send done: a second delivery would be there now
  const delivered = posts(h.fake.channelMessages(CHANNEL));
  assert.equal(delivered.length, 1, 'delivered once');
  assert.ok(delivered[0]?.attachments[0]?.bytes.equals(h.sim.expectedClipBytes(clipId)));
  assert.equal(h.app.alerts.stats().outbox.pending, 0);
});

test('Discord 404 Unknown Webhook on a late edit (F26): the result goes to the channel once, no retry storm', async (t) => {
  const h = await linkedChannel(t);
  recordFaults(1);
  h.fake.failNext({ route: EDIT, status: 404 });
  const editsBefore = h.fake.callsOf(EDIT).length;
  const handle = h.fake.sendSlashCommand({ name: 'status', ...ownerInChannel });
  const posted = await h.fake.waitForChannelMessage(CHANNEL, (m) => m.interactionId === undefined && /Front Door/.test(m.content));
  assert.deepEqual(posted.allowed_mentions, { parse: [] });
  // Real time on purpose (short): a retried edit or a second post would come within 300 ms.
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(h.fake.callsOf(EDIT).length - editsBefore, 1, 'the expired edit was not retried');
  assert.equal(toChannel(h, CHANNEL), 1, 'one channel post');
  assert.equal(posts(h.fake.channelMessages(CHANNEL)).length, 1);
  assert.ok(
    h.logLines.some((l) => /token expired/.test(l)),
    'logged',
  );
  assert.ok(!h.logLines.join('').includes(handle.token), 'the interaction token is not logged');
});

test('Discord 403 Missing Access on an alert channel (F20): link inactive, no retries, the owner told in the DM', async (t) => {
  const h = await linkedChannel(t);
  recordFaults(1);
  h.fake.failNext({ route: POST, status: 403, code: 50001, message: 'Missing Access' });
  h.sim.addClip({ cameraId: FRONT_DOOR, source: 'pir', size: 3000 });
  await h.app.alerts.pollNow(h.sessionId());
  const notice = await h.fake.waitForChannelMessage(OWNER_DM, (m) => m.interactionId === undefined && /no longer post/.test(m.content));
  assert.match(notice.content, new RegExp(CHANNEL));
  assert.equal(h.app.repos.links.get(`dc:${CHANNEL}`)?.active, false, 'link marked inactive');
  // Another clip: the channel is not tried again.
  h.sim.addClip({ cameraId: FRONT_DOOR, source: 'pir', size: 3000 });
  await h.app.alerts.pollNow(h.sessionId());
  await h.app.alerts.flush();
  assert.equal(toChannel(h, CHANNEL), 1, 'one try, no retries');
  assert.equal(posts(h.fake.channelMessages(OWNER_DM)).length, 1, 'told once');
});

test("Discord 403 on the owner's DM (they closed their DMs): only the DM link stops; the linked channel keeps its alerts", async (t) => {
  const h = await startDiscordApp(t);
  await h.login();
  await h.slash(ownerInChannel, 'link', {}, (m) => /uses|linked/i.test(m.content));
  recordFaults(1);
  h.fake.failNext({ route: POST, channel: OWNER_DM, status: 403, code: 50007, message: 'Cannot send messages to this user' });
  h.sim.addClip({ cameraId: FRONT_DOOR, source: 'pir', size: 3000 });
  await h.app.alerts.pollNow(h.sessionId());
  const alertsIn = (channel: string): number => posts(h.fake.channelMessages(channel)).filter((m) => m.attachments.length > 0).length;
  await until(() => alertsIn(CHANNEL) === 1, 'the alert in the channel');
  await until(() => h.app.repos.links.get(`dc:${OWNER}`)?.active === false, 'the DM link marked inactive');
  assert.equal(h.app.repos.links.get(`dc:${CHANNEL}`)?.active, true, 'the channel link stays active');
  // The next clip still reaches the channel, and the DM is not tried again.
  h.sim.addClip({ cameraId: FRONT_DOOR, source: 'pir', size: 3000 });
  await h.app.alerts.pollNow(h.sessionId());
  await until(() => alertsIn(CHANNEL) === 2, 'the second alert in the channel');
  await h.app.alerts.flush();
  assert.equal(toChannel(h, OWNER_DM, 403), 1, 'the DM was tried once');
  assert.equal(alertsIn(OWNER_DM), 0, 'no alert in the closed DM');
});

test('Discord gateway drop: alerts are REST and keep flowing; commands work again after the reconnect', async (t) => {
  const h = await linkedChannel(t);
  recordFaults(1);
  const discord = h.app.frontEnds.find((f) => f.name === 'discord');
  assert.ok(discord);
  const identifies = h.fake.gatewayStats().identifies;
  // 1000: a fresh identify, which discord.js throttles for a few seconds: a real gap.
  h.fake.disconnectGateway({ code: 1000 });
  await until(() => !discord.connected(), 'the front end notices the drop');
  const clipId = h.sim.addClip({ cameraId: FRONT_DOOR, source: 'pir', size: 3000 });
  await h.app.alerts.pollNow(h.sessionId());
  const [alert] = posts(h.fake.channelMessages(CHANNEL));
  assert.ok(alert?.attachments[0]?.bytes.equals(h.sim.expectedClipBytes(clipId)), 'the alert arrived');
  assert.equal(h.fake.gatewayStats().identifies, identifies, 'while the gateway was still down');
  await until(() => discord.connected(), 'the gateway back', 15_000);
  await h.slash(ownerDm, 'status', {}, (m) => /Front Door/.test(m.content));
});

test('Discord 12 MiB clip with attachment_size_limit 10 MiB (F17): the thumbnail with a note, no doomed upload', async (t) => {
  const h = await startDiscordApp(t);
  await h.login();
  recordFaults(1);
  const size = 12 * 1024 * 1024;
  const clipId = h.sim.addClip({ cameraId: FRONT_DOOR, source: 'pir', size, createdAt: h.sim.now() - 5_000 });
  const handle = h.fake.sendSlashCommand({ name: 'clip', options: { clip: String(clipId) }, attachmentSizeLimit: 10 * 1024 * 1024, ...ownerDm });
  const { message } = await h.answer(handle, (m) => m.attachments.length > 0 || /too large/i.test(m.content));
  assert.match(message.content, /too large/i);
  assert.match(message.content, /12 MB/);
  assert.match(message.attachments[0]?.filename ?? '', /\.jpe?g$/, 'the thumbnail');
  const uploaded = h.fake.calls().flatMap((c) => c.files);
  assert.ok(
    uploaded.every((f) => f.bytes.length < 1024 * 1024),
    'the clip itself was never uploaded',
  );
});
