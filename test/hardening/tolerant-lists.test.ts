/**
 * Tolerant lists (issue "Trust" point 13), over the whole bot with the fake Telegram: one
 * device of a kind the bot does not model, or one odd clip, is skipped with one warning
 * naming its path, and /status, /pictures, /clips, /local and the alert poller go on with
 * the rest. The simulator serves the odd entries verbatim (injectRawEntry).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { until } from '../helpers/until.js';
import { OWNER, startApp, textOfCall, type AppHarness } from './app-harness.js';
import { recordFaults } from './budget.js';

const HOME = 2001;
const FRONT_DOOR = 4001;

/** A wired floodlight: well formed, but no camera config the bot can read for it. */
const FLOODLIGHT = { id: 9001, network_id: HOME, name: 'Floodlight', type: 'superior', enabled: true, status: 'online', onboarded: true };
/** A new camera type whose entry lacks network_id: it cannot be placed, so it is skipped. */
const HALF_CAMERA = { id: 9002, name: 'Half Camera', type: 'sedona', enabled: true, status: 'done' };
/** A clip without device_name, first on page 1. */
const ODD_CLIP = {
  id: 7999999,
  created_at: '2026-06-27T11:59:00+00:00',
  updated_at: '2026-06-27T11:59:00+00:00',
  device_id: FRONT_DOOR,
  network_id: HOME,
  media: '/api/v2/accounts/1001/media/clip/7999999.mp4',
};

const warningsAbout = (h: AppHarness, path: string): string[] => h.logLines.filter((l) => l.includes('"level":40') && l.includes(`"path":"${path}"`));

async function ready(t: Parameters<typeof startApp>[0]): Promise<{ h: AppHarness; sessionId: string }> {
  const h = await startApp(t);
  assert.match(textOfCall(await h.login()), /Logged in/);
  const session = h.app.repos.sessions.getByOwner(`tg:${OWNER}`);
  assert.ok(session);
  return { h, sessionId: session.id };
}

const allText = async (h: AppHarness, command: string): Promise<string> => (await h.command(OWNER, command)).map(textOfCall).join('\n');

test('/status with a floodlight and a half-described camera in the homescreen: every good camera, no "unavailable", one warning', async (t) => {
  const { h } = await ready(t);
  recordFaults(2);
  h.sim.injectRawEntry({ list: 'cameras', entry: FLOODLIGHT, at: 0 });
  h.sim.injectRawEntry({ list: 'cameras', entry: HALF_CAMERA, at: 1 });

  const text = await allText(h, '/status');
  assert.doesNotMatch(text, /unavailable/i);
  for (const name of ['Front Door', 'Living Room', 'Porch']) assert.match(text, new RegExp(`${name}: `), `${name} is listed`);
  // Its config read fails: shown with what the homescreen says.
  assert.match(text, /Floodlight: online, motion on/);
  assert.doesNotMatch(text, /Half Camera/);
  assert.equal(warningsAbout(h, 'cameras.1').length, 1, 'one warning naming the skipped entry');

  await allText(h, '/status');
  assert.equal(warningsAbout(h, 'cameras.1').length, 1, 'not repeated on the next read');
});

test('/pictures with an unreadable homescreen entry still sends the good cameras', async (t) => {
  const { h } = await ready(t);
  recordFaults(1);
  h.sim.injectRawEntry({ list: 'owls', entry: { id: 9003, network_id: HOME, type: 'hawk' }, at: 0 });
  const replies = await h.command(OWNER, '/pictures');
  assert.doesNotMatch(replies.map(textOfCall).join('\n'), /unavailable/i);
  const photos = h.fake.calls.filter(
    (c) => (c.method === 'sendMediaGroup' || c.method === 'sendPhoto') && c.response.ok && Number(c.params['chat_id']) === OWNER,
  );
  assert.ok(photos.length > 0, 'pictures were sent');
  assert.equal(warningsAbout(h, 'owls.0').length, 1);
});

test('the poller alerts a new clip while an odd clip sits on the same page; /clips lists the rest', async (t) => {
  const { h, sessionId } = await ready(t);
  recordFaults(1);
  h.sim.injectRawEntry({ list: 'media', entry: ODD_CLIP, at: 0 });
  await h.app.alerts.pollNow(sessionId);
  const clip = h.sim.addClip({ cameraId: FRONT_DOOR, source: 'pir' });
  await h.app.alerts.pollNow(sessionId);
  await until(
    () => h.fake.calls.some((c) => c.method === 'sendVideo' && c.response.ok && Number(c.params['chat_id']) === OWNER),
    'the alert for the new clip',
    15_000,
  );
  assert.equal(warningsAbout(h, 'media.0').length, 1, 'one warning for the odd clip, not one per poll');

  const text = await allText(h, '/clips');
  assert.doesNotMatch(text, /unavailable/i);
  assert.match(text, /Front Door/);
  assert.ok(clip > 0);
});

test('/local with an odd clip in the USB manifest lists the other clips', async (t) => {
  const { h } = await ready(t);
  recordFaults(1);
  h.sim.injectRawEntry({ list: 'manifest', entry: { id: 'odd-1', camera_name: 'FrontDoor', size: '12' }, at: 0 });
  const text = await allText(h, '/local');
  assert.doesNotMatch(text, /unavailable|try again/i);
  assert.match(text, /Front Door/);
  assert.equal(warningsAbout(h, 'clips.0').length, 1);
});
