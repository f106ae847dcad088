/** Every example of blinkpy's README (as published with blinkpy), ported to the facade. */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { Blink, slugify } from '../../src/blink/facade.js';
import type { BlinkSimulator } from '../../src/simulator/index.js';
import { EMAIL, PASSWORD, createFastClock, fastLimits, silentLog, startSim } from './helpers.js';
import { tempDir } from '../helpers/temp-dir.js';

function opts(sim: BlinkSimulator, clock = createFastClock()) {
  return {
    urls: { oauth: sim.url, restTemplate: `${sim.url}/rest-{tier}` },
    clock,
    log: silentLog,
    service: { limits: fastLimits, commands: { pollIntervalMs: 1000, snapBackoffMs: 100 } },
  };
}

const tmp = (t: TestContext): string => tempDir(t, 'blink-seed-');

async function start(t: TestContext, sim: BlinkSimulator, extra: Parameters<typeof Blink.start>[0] = {}) {
  const blink = await Blink.start({ ...opts(sim), credentials: { username: EMAIL, password: PASSWORD }, ...extra });
  t.after(() => blink.close());
  return blink;
}

test('README: start() prompts for username, password and the 2FA pin', async (t) => {
  const sim = await startSim(t);
  sim.setTwoFactor(EMAIL, '412');
  const asked: string[] = [];
  const blink = await Blink.start({
    ...opts(sim),
    prompt: async (q) => {
      asked.push(q);
      return q === 'username' ? EMAIL : q === 'password' ? PASSWORD : sim.currentPin(EMAIL) ?? '';
    },
  });
  t.after(() => blink.close());
  assert.deepEqual(asked, ['username', 'password', '2fa']);
  assert.ok(blink.cameras['Front Door']);
});

test('README: no prompt, credentials given; send_auth_key then setup_post_verify', async (t) => {
  const sim = await startSim(t);
  sim.setTwoFactor(EMAIL, '202');
  const blink = await start(t, sim);
  assert.equal(blink.needsAuthKey, true);
  await blink.sendAuthKey(sim.currentPin(EMAIL) ?? '');
  await blink.setupPostVerify();
  assert.deepEqual(Object.keys(blink.sync), ['Home']);
});

test('README: credentials from a file, and blink.save() to a file (mode 0600) that starts again', async (t) => {
  const sim = await startSim(t);
  const dir = tmp(t);
  const login = join(dir, 'login.json');
  writeFileSync(login, JSON.stringify({ username: EMAIL, password: PASSWORD }));
  const first = await start(t, sim, { credentialsFile: login });
  const saved = join(dir, 'saved.json');
  await first.save(saved);
  assert.equal(statSync(saved).mode & 0o777, 0o600);
  assert.ok(!readFileSync(saved, 'utf8').includes(PASSWORD));
  sim.resetCounts();
  const again = await Blink.start({ ...opts(sim), credentialsFile: saved });
  t.after(() => again.close());
  assert.ok(again.cameras['Living Room']);
  console.log('start-up with saved credentials, requests:', sim.requestCounts().total);
  sim.resetCounts();
  await again.refresh();
  console.log('first (due) refresh, requests:', JSON.stringify(sim.requestCounts()));
});

test('README: cameras and their attributes', async (t) => {
  const sim = await startSim(t);
  const blink = await start(t, sim);
  const names = Object.keys(blink.cameras).sort();
  assert.deepEqual(names, ['Front Door', 'Living Room', 'Porch']);
  for (const [name, camera] of Object.entries(blink.cameras)) {
    assert.equal(camera.attributes.name, name);
    assert.equal(typeof camera.attributes.camera_id, 'string');
  }
});

test('README: refresh(force) fills image_from_cache and video_from_cache; throttled refresh makes no request', async (t) => {
  const sim = await startSim(t);
  const clock = createFastClock();
  const blink = await Blink.start({ ...opts(sim, clock), credentials: { username: EMAIL, password: PASSWORD } });
  t.after(() => blink.close());
  assert.equal(await blink.refresh(), true);
  sim.resetCounts();
  assert.equal(await blink.refresh(), false);
  assert.equal(sim.requestCounts().total, 0);
  clock.advance(31_000);
  sim.resetCounts();
  assert.equal(await blink.refresh(), true);
  console.log('due refresh with nothing new, requests:', sim.requestCounts().total);
  sim.resetCounts();
  await blink.refresh({ force: true });
  console.log('forced refresh, requests:', sim.requestCounts().total);
  const camera = blink.cameras['Front Door'];
  assert.ok(camera?.imageFromCache && camera.imageFromCache[0] === 0xff);
  assert.ok(camera.videoFromCache && camera.videoFromCache.subarray(4, 8).toString('latin1') === 'ftyp');
});

test('README: snap_picture, refresh, image_to_file, video_to_file', async (t) => {
  const sim = await startSim(t);
  const blink = await start(t, sim);
  const dir = tmp(t);
  const camera = blink.cameras['Front Door'];
  assert.ok(camera);
  const before = camera.data.thumbnail;
  await camera.snapPicture();
  assert.notEqual(camera.data.thumbnail, before);
  await blink.refresh();
  await camera.imageToFile(join(dir, 'image.jpg'));
  await camera.videoToFile(join(dir, 'video.mp4'));
  assert.equal(readFileSync(join(dir, 'image.jpg'))[0], 0xff);
  assert.equal(readFileSync(join(dir, 'video.mp4')).subarray(4, 8).toString('latin1'), 'ftyp');
});

test('README: arm and disarm a sync module, then read sync.arm', async (t) => {
  const sim = await startSim(t);
  const blink = await start(t, sim);
  const sync = blink.sync['Home'];
  assert.ok(sync);
  await sync.setArm(true);
  await sync.setArm(false);
  await blink.refresh();
  assert.equal(blink.sync['Home']?.arm, false);
});

test('README: enable and disable motion on a camera, then read camera.arm', async (t) => {
  const sim = await startSim(t);
  const blink = await start(t, sim);
  const camera = blink.cameras['Porch'];
  assert.ok(camera);
  await camera.setArm(true);
  await blink.refresh({ force: true });
  assert.equal(blink.cameras['Porch']?.arm, true);
  await camera.setArm(false);
  await blink.refresh({ force: true });
  assert.equal(blink.cameras['Porch']?.arm, false);
});

test('README: download_videos since a date with a delay', async (t) => {
  const sim = await startSim(t);
  const blink = await start(t, sim);
  const dir = tmp(t);
  const written = await blink.downloadVideos({ dir, since: '2018/07/04 09:34', delayMs: 2000 });
  const files = readdirSync(dir).sort();
  assert.ok(files.length >= 4);
  assert.equal(written.length, files.length);
  assert.ok(files.includes(`${slugify('Front Door-2026-06-27T11:58:10+00:00')}.mp4`) || files.every((f) => f.endsWith('.mp4')));
  // Deleted clips are skipped; existing files are not downloaded again.
  sim.resetCounts();
  assert.deepEqual(await blink.downloadVideos({ dir, since: '2018/07/04 09:34', cameras: 'Front Door' }), []);
  assert.equal(sim.requestCounts()['GET /api/v3/media/accounts/:a/networks/:n/:type/:c/:source/:file'] ?? 0, 0);
  assert.ok(existsSync(join(dir, files[0] ?? '')));
});

test('README: local storage — manifest, clip upload request, download', async (t) => {
  const sim = await startSim(t);
  sim.setLocalStorage(3001, true);
  const blink = await start(t, sim);
  const sync = blink.sync['Home'];
  assert.ok(sync?.localStorage);
  const clips = await sync.localClips();
  assert.ok(clips.length > 0);
  const dir = tmp(t);
  await sync.downloadLocalClip(clips[0] ?? { id: '' }, join(dir, 'local.mp4'));
  assert.equal(readFileSync(join(dir, 'local.mp4')).subarray(4, 8).toString('latin1'), 'ftyp');
});
