import assert from 'node:assert/strict';
import { test } from 'node:test';
import jpeg from 'jpeg-js';
import { startBlinkSimulator } from '../../src/simulator/index.js';
import { probeVideo, topLevelBoxes } from '../helpers/media-probe.js';
import { pick, rest, restJson } from './sim-client.js';

const NOW = Date.UTC(2026, 5, 27, 12);

async function setup(t: { after: (fn: () => Promise<void>) => void }) {
  let now = NOW;
  const sim = await startBlinkSimulator({ now: () => now });
  t.after(() => sim.close());
  return { sim, token: sim.issueTokens(1001).accessToken, tick: (ms: number) => (now += ms) };
}

const pixels = (bytes: Buffer): Uint8Array => {
  const img = jpeg.decode(bytes, { useTArray: true });
  assert.deepEqual([img.width, img.height], [640, 360]);
  return img.data;
};

/** Share of pixels that differ clearly. */
function differing(a: Uint8Array, b: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < a.length; i += 4) if (Math.abs((a[i] ?? 0) - (b[i] ?? 0)) + Math.abs((a[i + 2] ?? 0) - (b[i + 2] ?? 0)) > 30) n++;
  return n / (a.length / 4);
}

async function thumbnailOf(sim: Awaited<ReturnType<typeof setup>>['sim'], token: string, path: string): Promise<Buffer> {
  const url = String(pick((await restJson(sim, token, path)).body, 'camera', 0, 'thumbnail'));
  const res = await rest(sim, token, url);
  assert.equal(res.headers.get('content-type'), 'image/jpeg');
  return Buffer.from(await res.arrayBuffer());
}

test('camera thumbnails are real JPEGs: one picture per camera, a new one per snap', async (t) => {
  const { sim, token, tick } = await setup(t);
  const front = await thumbnailOf(sim, token, '/network/2001/camera/4001/config');
  assert.ok(front.length < 40_000, `${front.length} bytes`);
  const home = await restJson(sim, token, '/api/v3/accounts/1001/homescreen');
  const mini = await rest(sim, token, String(pick(home.body, 'owls', 0, 'thumbnail')));
  const doorbell = await rest(sim, token, `${String(pick(home.body, 'doorbells', 0, 'thumbnail'))}.jpg`);
  const frontPixels = pixels(front);
  assert.ok(differing(frontPixels, pixels(Buffer.from(await mini.arrayBuffer()))) > 0.05, 'the Mini shows another picture');
  assert.ok(differing(frontPixels, pixels(Buffer.from(await doorbell.arrayBuffer()))) > 0.05, 'the doorbell shows another picture');

  tick(5_000);
  const snap = await restJson(sim, token, '/network/2001/camera/4001/thumbnail', { method: 'POST' });
  await restJson(sim, token, `/network/2001/command/${String(pick(snap.body, 'id'))}`);
  const next = await thumbnailOf(sim, token, '/network/2001/camera/4001/config');
  assert.ok(differing(frontPixels, pixels(next)) > 0.003, 'the new snap looks different');
});

test('cloud clips are playable H.264 MP4s of a few seconds, moov first; their thumbnails are JPEGs', async (t) => {
  const { sim, token } = await setup(t);
  const id = sim.addClip({ cameraId: 4001 });
  const listed = await restJson(sim, token, '/api/v1/accounts/1001/media/changed?since=2026-06-27T11:59:00+0000&page=1');
  const entry = pick(listed.body, 'media', 0);
  assert.equal(pick(entry, 'id'), id);
  const clip = Buffer.from(await (await rest(sim, token, String(pick(entry, 'media')))).arrayBuffer());
  assert.ok(clip.length < 250_000, `${clip.length} bytes`);
  const probe = await probeVideo(clip);
  assert.deepEqual([probe.container, probe.codec, probe.width, probe.height, probe.hasMoovFirst], ['mp4', 'avc', 320, 192, true]);
  assert.ok(probe.durationSeconds >= 2 && probe.durationSeconds <= 6, `${probe.durationSeconds} s`);
  const thumb = Buffer.from(await (await rest(sim, token, String(pick(entry, 'thumbnail')))).arrayBuffer());
  assert.ok(pixels(thumb).some((v) => v !== 0));
  const other = sim.addClip({ cameraId: 4001 });
  assert.notDeepEqual(sim.expectedClipBytes(other), clip, 'another clip of the same camera differs');
});

test('a clip declared larger than its MP4 is padded with a free box to the exact size, still playable', async (t) => {
  const { sim, token } = await setup(t);
  const size = 3 * 1024 * 1024;
  const id = sim.addClip({ cameraId: 5001, size });
  const res = await rest(sim, token, `/api/v3/media/accounts/1001/networks/2001/owl/5001/pir/${id}.mp4`);
  assert.equal(res.headers.get('content-length'), String(size));
  const bytes = Buffer.from(await res.arrayBuffer());
  assert.equal(bytes.length, size);
  assert.deepEqual(topLevelBoxes(bytes), ['ftyp', 'moov', 'mdat', 'free']);
  const probe = await probeVideo(bytes);
  assert.equal(probe.codec, 'avc');
  assert.ok(probe.durationSeconds >= 2);
});

test('local-storage clips are playable MP4s showing their camera', async (t) => {
  const { sim } = await setup(t);
  const probe = await probeVideo(sim.expectedClipBytes(7100003));
  assert.deepEqual([probe.container, probe.codec, probe.hasMoovFirst], ['mp4', 'avc', true]);
  assert.notDeepEqual(sim.expectedClipBytes(7100002), sim.expectedClipBytes(7100003));
});
