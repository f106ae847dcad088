import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startBlinkSimulator } from '../../src/simulator/index.js';
import { until } from '../helpers/until.js';
import { pick, rest, restJson } from './sim-client.js';

const NOW = Date.UTC(2026, 5, 27, 12);

async function setup(t: { after: (fn: () => Promise<void>) => void }, opts: { commandPolls?: number; mediaPageSize?: number } = {}) {
  let now = NOW;
  const sim = await startBlinkSimulator({ now: () => now, ...opts });
  t.after(() => sim.close());
  return { sim, token: sim.issueTokens(1001).accessToken, tick: (ms: number) => (now += ms) };
}

test('commands complete after N polls and only then apply their effect', async (t) => {
  const { sim, token, tick } = await setup(t, { commandPolls: 3 });
  const disarm = await restJson(sim, token, '/api/v1/accounts/1001/networks/2001/state/disarm', { method: 'POST' });
  const id = String(pick(disarm.body, 'id'));
  for (let i = 0; i < 2; i++) {
    const s = await restJson(sim, token, `/network/2001/command/${id}`);
    assert.equal(pick(s.body, 'complete'), false);
    assert.equal(pick(s.body, 'status_code'), 908);
    assert.equal(sim.state.networks.get(2001)?.armed, true);
  }
  const done = await restJson(sim, token, `/network/2001/command/${id}`);
  assert.equal(pick(done.body, 'complete'), true);
  assert.equal(pick((await restJson(sim, token, '/network/2001/update', { method: 'POST' })).body, 'network', 'armed'), false);

  sim.setCommandPolls(1);
  // Snapshot: new thumbnail ts, new URL, new bytes.
  const before = String(pick((await restJson(sim, token, '/network/2001/camera/4001/config')).body, 'camera', 0, 'thumbnail'));
  tick(5_000);
  const snap = await restJson(sim, token, '/network/2001/camera/4001/thumbnail', { method: 'POST' });
  await restJson(sim, token, `/network/2001/command/${String(pick(snap.body, 'id'))}`);
  const after = String(pick((await restJson(sim, token, '/network/2001/camera/4001/config')).body, 'camera', 0, 'thumbnail'));
  assert.notEqual(after, before);
  const ts = Number(new URL(after, 'http://x').searchParams.get('ts'));
  const jpeg = Buffer.from(await (await rest(sim, token, after)).arrayBuffer());
  assert.deepEqual(jpeg, sim.expectedThumbnailBytes(4001, ts));
  assert.deepEqual([...jpeg.subarray(0, 2)], [0xff, 0xd8]);
  assert.deepEqual([...jpeg.subarray(-2)], [0xff, 0xd9]);

  // Motion toggle on the doorbell, Mini motion via config, clip adds media.
  const enable = await restJson(sim, token, '/api/v1/accounts/1001/networks/2001/doorbells/6001/enable', { method: 'POST' });
  await restJson(sim, token, `/network/2001/command/${String(pick(enable.body, 'id'))}`);
  assert.equal(sim.state.devices.get(6001)?.enabled, true);
  const owlOff = await restJson(sim, token, '/api/v1/accounts/1001/networks/2001/owls/5001/config', { method: 'POST', body: { enabled: false } });
  await restJson(sim, token, `/network/2001/command/${String(pick(owlOff.body, 'id'))}`);
  assert.equal(sim.state.devices.get(5001)?.enabled, false);
  const mediaBefore = sim.state.media.size;
  const clip = await restJson(sim, token, '/network/2001/camera/4001/clip', { method: 'POST' });
  await restJson(sim, token, `/network/2001/command/${String(pick(clip.body, 'id'))}`);
  // The camera records first: the clip is listed a little later.
  assert.equal(sim.state.media.size, mediaBefore);
  await until(() => sim.state.media.size === mediaBefore + 1, 'the recorded clip', 15_000, 20);

  // Wrong family path, offline camera fails its command.
  assert.equal((await restJson(sim, token, '/network/2001/camera/5001/config')).status, 404);
  sim.setCameraState(4001, { online: false });
  const offline = await restJson(sim, token, '/network/2001/camera/4001/thumbnail', { method: 'POST' });
  const st = await restJson(sim, token, `/network/2001/command/${String(pick(offline.body, 'id'))}`);
  assert.notEqual(pick(st.body, 'status_code'), 908);
});

test('failNextCommand with a kind and network fails only the next such command', async (t) => {
  const { sim, token } = await setup(t, { commandPolls: 1 });
  const run = async (path: string): Promise<number> => {
    const started = await restJson(sim, token, path, { method: 'POST' });
    const status = await restJson(sim, token, `/network/2001/command/${String(pick(started.body, 'id'))}`);
    assert.equal(pick(status.body, 'complete'), true);
    return Number(pick(status.body, 'status_code'));
  };
  const disarm = '/api/v1/accounts/1001/networks/2001/state/disarm';
  sim.failNextCommand(1, { kind: 'disarm', networkId: 2999 });
  sim.failNextCommand(1, { kind: 'disarm', networkId: 2001 });
  assert.equal(await run('/network/2001/camera/4001/thumbnail'), 908, 'another kind of command is not taken');
  assert.notEqual(await run(disarm), 908, 'the matching disarm fails');
  assert.equal(sim.state.networks.get(2001)?.armed, true);
  assert.equal(await run(disarm), 908, "one failure only; the other network's stays queued");
  assert.equal(sim.state.networks.get(2001)?.armed, false);
});

test('media/changed: since with +, space and %2B, newest first, paging, downloads', async (t) => {
  const { sim, token } = await setup(t, { mediaPageSize: 2 });
  const ids = (body: unknown): unknown[] => {
    const list = pick(body, 'media');
    return Array.isArray(list) ? list.map((m: unknown) => pick(m, 'id')) : [];
  };
  const base = '/api/v1/accounts/1001/media/changed';
  // 11:00 UTC: 7000005, 7000004, 7000003 (updated later) qualify.
  for (const since of ['2026-06-27T11:00:00+0000', '2026-06-27T11:00:00%2B0000', '2026-06-27T11:00:00%200000', '2026-06-27T07:00:00-0400']) {
    const r = await restJson(sim, token, `${base}?since=${since}&page=1`);
    assert.equal(r.status, 200, since);
    assert.deepEqual(ids(r.body), [7000005, 7000004], since);
  }
  assert.deepEqual(ids((await restJson(sim, token, `${base}?since=2026-06-27T11:00:00+0000&page=0`)).body), [7000005, 7000004]);
  assert.deepEqual(ids((await restJson(sim, token, `${base}?since=2026-06-27T11:00:00+0000&page=2`)).body), [7000003]);
  assert.deepEqual(ids((await restJson(sim, token, `${base}?since=2026-06-27T11:00:00+0000&page=3`)).body), []);
  assert.equal((await restJson(sim, token, `${base}?since=yesterday&page=1`)).status, 400);

  const newId = sim.addClip({ cameraId: 5001, size: 1000, source: 'pir' });
  const latest = await restJson(sim, token, `${base}?since=2026-06-27T11:58:30+0000&page=1`);
  assert.deepEqual(ids(latest.body), [newId, 7000005]);
  const entry = pick(latest.body, 'media', 0);
  assert.equal(pick(entry, 'device_name'), 'Living Room');
  assert.equal(pick(entry, 'created_at'), '2026-06-27T12:00:00+00:00');
  const clip = await rest(sim, token, String(pick(entry, 'media')));
  assert.equal(clip.headers.get('content-type'), 'video/mp4');
  const bytes = Buffer.from(await clip.arrayBuffer());
  assert.equal(clip.headers.get('content-length'), String(bytes.length), 'a declared 1000 bytes is less than the real MP4: served whole');
  assert.deepEqual(bytes, sim.expectedClipBytes(newId));
  assert.equal(bytes.subarray(4, 8).toString('latin1'), 'ftyp');
  const thumb = await rest(sim, token, String(pick(entry, 'thumbnail')));
  assert.deepEqual(Buffer.from(await thumb.arrayBuffer()), sim.expectedClipThumbnailBytes(newId));
  // Deleted clips are listed but not served.
  const deleted = await rest(sim, token, '/api/v3/media/accounts/1001/networks/2001/catalina/4001/pir/7000002.mp4');
  assert.equal(deleted.status, 404);
  // Legacy doorbell thumbnail (blinkpy appends .jpg).
  const home = await restJson(sim, token, '/api/v3/accounts/1001/homescreen');
  const legacy = await rest(sim, token, `${String(pick(home.body, 'doorbells', 0, 'thumbnail'))}.jpg`);
  assert.equal(legacy.status, 200);
  assert.deepEqual(Buffer.from(await legacy.arrayBuffer()), sim.expectedThumbnailBytes(6001, sim.state.devices.get(6001)?.thumbnailTs ?? 0));
});

test('local storage: manifest request, poll, read, upload, download, delete', async (t) => {
  const { sim, token } = await setup(t, { commandPolls: 2 });
  const base = '/api/v1/accounts/1001/networks/2001/sync_modules/3001/local_storage';
  const req = await restJson(sim, token, `${base}/manifest/request`, { method: 'POST' });
  const cmd = String(pick(req.body, 'id'));
  assert.equal(cmd, '9100001');
  assert.equal(pick((await restJson(sim, token, `${base}/manifest/request/${cmd}`)).body, 'clips'), undefined, 'not ready before polls');
  await restJson(sim, token, `/network/2001/command/${cmd}`);
  await restJson(sim, token, `/network/2001/command/${cmd}`);
  const manifest = await restJson(sim, token, `${base}/manifest/request/${cmd}`);
  assert.equal(pick(manifest.body, 'clips', 0, 'id'), '7100003');
  assert.equal((await rest(sim, token, `${base}/manifest/8001/clip/request/7100003`)).status, 404, 'not uploaded yet');
  const up = await restJson(sim, token, `${base}/manifest/8001/clip/request/7100003`, { method: 'POST' });
  await restJson(sim, token, `/network/2001/command/${String(pick(up.body, 'id'))}`);
  await restJson(sim, token, `/network/2001/command/${String(pick(up.body, 'id'))}`);
  const dl = await rest(sim, token, `${base}/manifest/8001/clip/request/7100003`);
  assert.equal(dl.status, 200);
  assert.deepEqual(Buffer.from(await dl.arrayBuffer()), sim.expectedClipBytes(7100003));
  assert.equal((await restJson(sim, token, `${base}/manifest/8001/clip/delete/7100003`, { method: 'POST' })).status, 200);
  assert.equal((await restJson(sim, token, `${base}/manifest/8001/clip/delete/7100003`, { method: 'POST' })).status, 404);
  sim.setLocalStorage(3001, false);
  assert.equal((await restJson(sim, token, `${base}/manifest/request`, { method: 'POST' })).status, 400);
});
