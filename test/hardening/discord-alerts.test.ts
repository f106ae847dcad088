/**
 * Motion alerts on Discord end to end: createApp's alert service and the Discord ChatSender
 * against the Blink simulator and the fake Discord. A channel linked with /link gets each new
 * clip once, byte-exact, with camera/network/time and working buttons (authorization checked
 * again at the press); big clips come as the thumbnail with a note; a doorbell press is a
 * ring; quiet hours post without a notification except rings; nobody is ever pinged.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RecordedMessage } from '../helpers/fake-discord/index.js';
import { until } from '../helpers/until.js';
import {
  CHANNEL,
  EPHEMERAL,
  GUILD,
  MEMBER,
  OWNER_DM,
  SUPPRESS_NOTIFICATIONS,
  buttonLabelled,
  ownerInChannel,
  startDiscordApp,
  type Where,
} from './discord-app-harness.js';

const FRONT_DOOR = 4001;
const PORCH = 6001;
const HOME = 2001;
const member: Where = { userId: MEMBER, guildId: GUILD, channelId: CHANNEL };

/** Bot posts (not interaction replies) in a channel. */
const posts = (messages: RecordedMessage[]): RecordedMessage[] => messages.filter((m) => m.interactionId === undefined && !m.deleted);

function berlinHhmm(ms: number): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(ms));
}

test('Discord alert: a linked channel gets the clip once, byte-exact, captioned, with buttons that work and are re-authorized', async (t) => {
  const h = await startDiscordApp(t);
  const { fake, sim } = h;
  await h.login();
  await h.slash(ownerInChannel, 'link', {}, (m) => /uses|linked/i.test(m.content));
  const clipId = sim.addClip({ cameraId: FRONT_DOOR, source: 'pir', size: 6000 });
  await h.app.alerts.pollNow(h.sessionId());
  await h.app.alerts.pollNow(h.sessionId());
  await h.app.alerts.flush(); // every due send done: a second post of the clip would be there now

  const alerts = posts(fake.channelMessages(CHANNEL));
  assert.equal(alerts.length, 1, 'exactly one alert in the channel');
  const [alert] = alerts;
  assert.ok(alert);
  assert.ok(alert.attachments[0]?.bytes.equals(sim.expectedClipBytes(clipId)), 'the clip, byte-exact');
  assert.equal(alert.attachments[0]?.filename, `${clipId}.mp4`);
  assert.match(alert.content, /Motion: Front Door \\?\(Home\\?\) · .*\d{1,2}:\d{2}$/);
  assert.deepEqual(alert.allowed_mentions, { parse: [] });
  assert.equal(alert.flags & SUPPRESS_NOTIFICATIONS, 0, 'outside quiet hours: a normal notification');
  assert.equal(posts(fake.channelMessages(OWNER_DM)).length, 1, "the owner's DM (linked at login) got it too");

  // Snap now, pressed by another member of the linked channel: a new picture.
  const snapped = await h.answer(
    fake.pressButton({ customId: buttonLabelled(alert, 'Snap now'), messageId: alert.id, ...member }),
    (m) => m.attachments.length > 0,
  );
  assert.match(snapped.message.attachments[0]?.filename ?? '', /\.jpe?g$/);
  // Disarm, then Arm: Blink's state follows.
  await h.answer(fake.pressButton({ customId: buttonLabelled(alert, 'Disarm'), messageId: alert.id, ...member }), (m) => /disarmed/.test(m.content));
  assert.equal(sim.state.networks.get(HOME)?.armed, false);
  await h.answer(fake.pressButton({ customId: buttonLabelled(alert, 'Arm'), messageId: alert.id, ...member }), (m) => /armed/.test(m.content));
  assert.equal(sim.state.networks.get(HOME)?.armed, true);
  // Mute 1 h: the next Front Door clip skips this channel, not the DM.
  await h.answer(fake.pressButton({ customId: buttonLabelled(alert, 'Mute 1 h'), messageId: alert.id, ...member }), (m) => /muted/i.test(m.content));
  sim.addClip({ cameraId: FRONT_DOOR, source: 'pir', size: 4096 });
  await h.app.alerts.pollNow(h.sessionId());
  await until(() => posts(fake.channelMessages(OWNER_DM)).length === 2, 'the second alert in the DM');
  assert.equal(posts(fake.channelMessages(CHANNEL)).length, 1, 'muted: nothing new in the channel');

  // Authorization is checked again at the press: the channel taken off the allowlist.
  h.app.repos.allowlist.remove(`dc:${CHANNEL}`);
  const blinkBefore = sim.requestCounts().total;
  const refused = await h.answer(fake.pressButton({ customId: buttonLabelled(alert, 'Disarm'), messageId: alert.id, ...member }), (m) =>
    m.content.includes(`dc:${CHANNEL}`),
  );
  assert.equal(refused.message.flags & EPHEMERAL, EPHEMERAL);
  assert.equal(sim.state.networks.get(HOME)?.armed, true, 'not disarmed');
  assert.equal(sim.requestCounts().total, blinkBefore, 'no Blink request');
});

test('Discord alert: over DISCORD_UPLOAD_LIMIT_MB → thumbnail with a note; a doorbell press is a ring; quiet hours silence motion, not rings', async (t) => {
  const h = await startDiscordApp(t, { env: { DISCORD_UPLOAD_LIMIT_MB: '1' } });
  const { fake, sim } = h;
  await h.login();
  await h.slash(ownerInChannel, 'link', {}, (m) => /uses|linked/i.test(m.content));
  const now = Date.now();
  await h.slash(ownerInChannel, 'quiet', { hours: `${berlinHhmm(now - 3_600_000)}-${berlinHhmm(now + 3_600_000)}` }, (m) => /quiet/i.test(m.content));
  const big = sim.addClip({ cameraId: FRONT_DOOR, source: 'pir', size: 2 * 1024 * 1024 });
  await h.app.alerts.pollNow(h.sessionId());
  sim.addClip({ cameraId: PORCH, source: 'button', size: 3000 });
  await h.app.alerts.pollNow(h.sessionId());
  await h.app.alerts.flush();

  const [motion, ring, ...rest] = posts(fake.channelMessages(CHANNEL));
  assert.deepEqual(rest, [], 'two alerts, each once');
  assert.ok(motion && ring);
  assert.match(motion.content, /Motion: Front Door/);
  assert.equal(motion.attachments.length, 1);
  assert.equal(motion.attachments[0]?.filename, `${big}.jpg`, 'the thumbnail, not the clip');
  assert.match(motion.content, /too large/i);
  const uploaded = fake.callsOf('POST /channels/:channel/messages').flatMap((c) => c.files);
  assert.ok(
    uploaded.every((f) => f.bytes.length <= 1024 * 1024),
    'no doomed upload over the limit',
  );
  assert.equal(motion.flags & SUPPRESS_NOTIFICATIONS, SUPPRESS_NOTIFICATIONS, 'quiet hours: no notification');
  assert.match(ring.content, /rang Porch/);
  assert.doesNotMatch(ring.content, /Motion/);
  assert.equal(ring.flags & SUPPRESS_NOTIFICATIONS, 0, 'a ring is never silenced');
  for (const m of [motion, ring]) assert.deepEqual(m.allowed_mentions, { parse: [] });
});
