import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buttonsOf, createHarness, mediaOf, OWNER, readMedia, textOf } from './harness.js';

const FRONT_DOOR = 4001;

test('/status: one block per network with each camera’s reported fields', async (t) => {
  const h = await createHarness(t);
  await h.login();
  const text = textOf(await h.send(OWNER, OWNER, '/status'));
  assert.match(text, /^Home: armed/m);
  assert.match(text, /Front Door: online, motion on, battery ok.*°F \/ -?\d+°C.*wifi.*last motion \w{3} \d{1,2} \w{3} \d\d:\d\d/);
  const livingRoom = text.split('\n').find((l) => l.includes('Living Room')) ?? '';
  assert.doesNotMatch(livingRoom, /battery|°F/, 'a Mini reports no battery or temperature');
});

test('/disarm and /arm confirm the state Blink reports, and are audited', async (t) => {
  const h = await createHarness(t);
  await h.login();
  assert.equal(textOf(await h.send(OWNER, OWNER, '/disarm')), 'Home is disarmed.');
  assert.match(h.progress.updates[0] ?? '', /Disarming Home/);
  assert.equal(h.sim.state.networks.get?.(2001)?.armed ?? false, false);
  assert.equal(textOf(await h.send(OWNER, OWNER, '/arm ho')), 'Home is armed.');
  const audit = h.repos.audit.listRecent({ chat: OWNER }).map((e) => `${e.action}:${e.result}:${e.target}`);
  assert.ok(audit.includes('arm:ok:Home') && audit.includes('disarm:ok:Home'));
  assert.match(textOf(await h.send(OWNER, OWNER, '/arm Cabin')), /no network called "Cabin".*Valid networks: Home/);
});

test('/motion turns detection on a camera on and off', async (t) => {
  const h = await createHarness(t);
  await h.login();
  assert.equal(textOf(await h.send(OWNER, OWNER, '/motion front door off')), 'Motion detection on Front Door is off.');
  assert.match(textOf(await h.send(OWNER, OWNER, '/status')), /Front Door: online, motion off/);
  assert.equal(textOf(await h.send(OWNER, OWNER, '/motion Porch on')), 'Motion detection on Porch is on.');
  assert.match(textOf(await h.send(OWNER, OWNER, '/motion Garage on')), /Valid cameras: Front Door, Living Room, Porch/);
});

test('/snap sends the new picture, not the previous thumbnail', async (t) => {
  const h = await createHarness(t);
  await h.login();
  const before = h.sim.state.devices.get?.(FRONT_DOOR)?.thumbnailTs;
  const outcome = await h.send(OWNER, OWNER, '/snap Front');
  assert.deepEqual(h.progress.actions, ['upload_photo']);
  assert.match(h.progress.updates[0] ?? '', /Taking a picture/);
  const media = mediaOf(outcome);
  assert.equal(media.kind, 'photo');
  assert.match(textOf(outcome), /Front Door · Home/);
  const after = h.sim.state.devices.get?.(FRONT_DOOR)?.thumbnailTs;
  assert.ok(after !== undefined && after !== before, 'the simulator took a new picture');
  const bytes = await readMedia(media);
  assert.deepEqual(bytes, h.sim.expectedThumbnailBytes(FRONT_DOOR, after));
  assert.deepEqual(await readMedia(media), bytes, 're-opening yields the same new picture');
});

test('/clips lists the 10 newest with a button each; the button sends the video; More pages on', async (t) => {
  const h = await createHarness(t);
  await h.login();
  for (let i = 0; i < 12; i++) h.sim.addClip({ cameraId: FRONT_DOOR, createdAt: h.sim.now() - i * 1000 - 1000, size: 4096 });
  const list = await h.send(OWNER, OWNER, '/clips');
  const buttons = buttonsOf(list);
  assert.equal(buttons.length, 11);
  assert.equal(textOf(list).split('\n').length, 11);
  const more = buttons.at(-1);
  assert.equal(more?.label, 'More');
  const first = buttons[0];
  assert.ok(first);
  assert.equal(first.action.command, 'clip');
  const clipId = first.action.args.clip ?? '';
  const sent = await h.press(OWNER, OWNER, first);
  const video = mediaOf(sent);
  assert.equal(video.kind, 'video');
  assert.equal(video.fallback?.kind, 'photo');
  assert.match(textOf(sent), /Front Door/);
  assert.deepEqual(await readMedia(video), h.sim.expectedClipBytes(Number(clipId)));
  assert.ok(more);
  const next = await h.press(OWNER, OWNER, more);
  assert.match(textOf(next), /^Clips 11–/);
  assert.match(textOf(await h.send(OWNER, OWNER, '/clip 999999999')), /No such clip: 999999999 \(see \/clips\)/);
});

test('/clips [camera] filters to one camera and leaves out deleted clips', async (t) => {
  const h = await createHarness(t);
  await h.login();
  const gone = h.sim.addClip({ cameraId: FRONT_DOOR, createdAt: h.sim.now() - 500 });
  h.sim.deleteClip(gone);
  const text = textOf(await h.send(OWNER, OWNER, '/clips porch'));
  assert.ok(
    text
      .split('\n')
      .slice(1)
      .every((l) => l.includes('Porch')),
    text,
  );
  assert.doesNotMatch(textOf(await h.send(OWNER, OWNER, '/clips')), new RegExp(`^${gone}\\b`, 'm'));
});

test('/local lists USB clips with buttons; /localclip fetches one through the manifest flow', async (t) => {
  const h = await createHarness(t);
  await h.login();
  const list = await h.send(OWNER, OWNER, '/local');
  assert.match(textOf(list), /Local clips on Home/);
  assert.ok(h.progress.updates.length >= 1);
  const button = buttonsOf(list)[0];
  assert.equal(button?.action.command, 'localclip');
  assert.ok(button);
  const sent = await h.press(OWNER, OWNER, button);
  const media = mediaOf(sent);
  assert.equal(media.kind, 'video');
  assert.ok((await readMedia(media)).length > 0);
});

test('/alerts, /mute and /quiet change this chat’s settings', async (t) => {
  const h = await createHarness(t);
  await h.login();
  assert.match(textOf(await h.send(OWNER, OWNER, '/alerts off')), /alerts in this chat are off/);
  assert.equal(h.repos.links.get(OWNER)?.alertsEnabled, false);
  assert.match(textOf(await h.send(OWNER, OWNER, '/alerts on porch')), /from Porch in this chat are on/);
  assert.match(textOf(await h.send(OWNER, OWNER, '/mute Front Door 1h')), /Front Door muted here until/);
  assert.ok((h.repos.alertSettings.get(OWNER, '4001')?.mutedUntil ?? 0) > h.clock.now());
  assert.match(textOf(await h.send(OWNER, OWNER, '/mute all 30m')), /All cameras muted/);
  assert.ok((h.repos.links.get(OWNER)?.mutedUntil ?? 0) > h.clock.now());
  assert.match(textOf(await h.send(OWNER, OWNER, '/mute Porch')), /30m, 1h, 8h, 1d/);
  assert.match(textOf(await h.send(OWNER, OWNER, '/mute off')), /Muting ended/);
  assert.equal(h.repos.links.get(OWNER)?.mutedUntil, null);
  assert.equal(h.repos.alertSettings.get(OWNER, '4001')?.mutedUntil ?? null, null);
  assert.match(textOf(await h.send(OWNER, OWNER, '/quiet 22:00-7:00')), /Quiet hours 22:00–07:00/);
  assert.deepEqual(h.repos.links.get(OWNER)?.quietHours, { start: '22:00', end: '07:00' });
  assert.match(textOf(await h.send(OWNER, OWNER, '/quiet 25:00-07:00')), /HH:MM-HH:MM/);
  assert.match(textOf(await h.send(OWNER, OWNER, '/quiet off')), /Quiet hours off/);
  assert.equal(h.repos.links.get(OWNER)?.quietHours, null);
});
