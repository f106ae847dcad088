import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { clipThumbnailPath } from '../../src/blink/clips.js';
import { BlinkApiError, BlinkNoLocalStorageError } from '../../src/errors.js';
import { loggedIn, makeService, memoryStore, readAll, startOutsider, startSim } from './helpers.js';

test('listClips reads one 1-based page, newest first', async (t) => {
  const sim = await startSim(t);
  const { account } = await loggedIn(t, sim);
  sim.resetCounts();
  const { clips, hasMore } = await account.listClips();
  assert.equal(sim.requestCounts().total, 1);
  assert.ok(clips.length >= 5);
  assert.equal(hasMore, false);
  assert.ok(clips.some((c) => c.deleted));
  const first = clips[0];
  assert.ok(first && typeof first.id === 'string' && first.mediaPath.endsWith('.mp4'));
  const q = sim.requestLog()[0]?.path ?? '';
  assert.ok(!q.includes(' '), 'since sent without raw + / space');
});

test('changesSince: baseline, then exactly 1 request when nothing changed', async (t) => {
  const sim = await startSim(t);
  const { account } = await loggedIn(t, sim);
  const base = await account.changesSince(undefined);
  assert.equal(base.requests, 1);
  assert.ok(base.watermark.updatedAtMs > 0);
  assert.equal(base.watermark.updatedAt, base.clips.reduce((a, c) => (c.updatedAtMs > a.updatedAtMs ? c : a)).updatedAt);
  sim.advanceClock(60 * 60_000); // an hour later, nothing new
  sim.resetCounts();
  const idle = await account.changesSince(base.watermark);
  assert.equal(sim.requestCounts().total, 1, 'idle change detection costs exactly 1 request');
  assert.equal(idle.requests, 1);
  assert.deepEqual(idle.watermark, base.watermark);
});

test('changesSince returns a new clip and advances the watermark with server time', async (t) => {
  const sim = await startSim(t);
  const { account } = await loggedIn(t, sim);
  const base = await account.changesSince(undefined);
  sim.advanceClock(20 * 60_000);
  const id = sim.addClip({ cameraId: 4001, source: 'pir' });
  const next = await account.changesSince(base.watermark);
  assert.ok(next.clips.some((c) => c.id === String(id)));
  assert.ok(next.watermark.updatedAtMs > base.watermark.updatedAtMs);
});

test('changesSince reads further pages only while a page is full', async (t) => {
  const sim = await startSim(t, { mediaPageSize: 5 });
  const { account } = await loggedIn(t, sim);
  const base = await account.changesSince(undefined);
  sim.advanceClock(20 * 60_000);
  const ids: string[] = [];
  for (let i = 0; i < 12; i++) ids.push(String(sim.addClip({ cameraId: 5001 })));
  sim.resetCounts();
  const next = await account.changesSince(base.watermark);
  // The overlap may also bring back the newest already-seen clip; the caller dedupes.
  for (const id of ids)
    assert.ok(
      next.clips.some((c) => c.id === id),
      id,
    );
  assert.equal(next.requests, 3);
  assert.equal(sim.requestCounts().total, 3);
});

test('a full page with one unreadable entry is still full: paging goes on to the next page', async (t) => {
  const sim = await startSim(t);
  const { account } = await loggedIn(t, sim);
  const fixture: unknown = JSON.parse(readFileSync(fileURLToPath(new URL('../fixtures/blink/media_changed_page1.json', import.meta.url)), 'utf8'));
  assert.ok(fixture !== null && typeof fixture === 'object' && 'media' in fixture && Array.isArray(fixture.media));
  // Blink's page of 3: two readable clips and one without device_name.
  const [first, second] = fixture.media;
  sim.injectFault({ path: '/media/changed', status: 200, body: { limit: 3, media: [first, { id: 7999999, media: '/x.mp4' }, second] } });
  const read = await account.listClips();
  assert.equal(read.clips.length, 2);
  assert.equal(read.hasMore, true, 'three entries came on a page of three');
});

test('findClip finds a clip by media id; openClip streams every byte', async (t) => {
  const sim = await startSim(t);
  const { account } = await loggedIn(t, sim);
  const clip = await account.findClip('7000005');
  assert.ok(clip);
  const dl = await account.openClip(clip);
  const bytes = await readAll(dl.stream);
  assert.equal(bytes.subarray(4, 8).toString('latin1'), 'ftyp');
  assert.equal(bytes.length, dl.sizeBytes);
  assert.equal(await account.findClip('123'), undefined);
  const thumb = await account.openClipThumbnail(clip);
  assert.deepEqual([...(await readAll(thumb.stream)).subarray(0, 3)], [0xff, 0xd8, 0xff]);
});

test('local storage: manifest flow maps camera names; a clip downloads', async (t) => {
  const sim = await startSim(t);
  const { account } = await loggedIn(t, sim);
  sim.setLocalStorage(3001, true);
  const stages: string[] = [];
  sim.injectFault({ method: 'POST', path: '/manifest/request', busy: true });
  const clips = await account.localClips('2001', { onProgress: (s) => stages.push(s) });
  assert.ok(clips.length > 0);
  const front = clips.find((c) => c.manifestCameraName === 'FrontDoor');
  assert.equal(front?.cameraId, '4001');
  assert.equal(front?.cameraName, 'Front Door');
  assert.ok(stages.includes('manifest requested'));
  const dl = await account.openLocalClip('2001', clips[0]?.id ?? '');
  const bytes = await readAll(dl.stream);
  assert.equal(bytes.subarray(4, 8).toString('latin1'), 'ftyp');
});

test('local storage off is a BlinkNoLocalStorageError', async (t) => {
  const sim = await startSim(t);
  const { account } = await loggedIn(t, sim);
  sim.setLocalStorage(3001, false);
  await assert.rejects(account.localClips('2001'), BlinkNoLocalStorageError);
});

test("changesSince: a baseline without clips takes its watermark from Blink's Date header, not our clock", async (t) => {
  const sim = await startSim(t, { seed: { accounts: [] } });
  sim.advanceClock(-10 * 60_000); // Blink's clock 10 min behind ours
  const added = sim.addAccount({ email: 'empty@example.com', password: 'pw-empty-1234' });
  const { service, clock } = makeService(t, sim);
  const tokens = sim.issueTokens(added.accountId);
  const account = service.account(
    {
      accountId: String(added.accountId),
      tier: 'u011',
      hardwareId: 'hw-e',
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      accessExpiresAt: clock.now() + 3_600_000,
    },
    memoryStore(),
  );
  const base = await account.changesSince(undefined);
  assert.equal(base.clips.length, 0);
  assert.ok(base.serverTime !== undefined, 'the Date header is exposed');
  assert.ok(Math.abs(base.serverTime - sim.now()) < 2_000, `serverTime ${base.serverTime} vs Blink ${sim.now()}`);
  assert.equal(base.watermark.updatedAtMs, base.serverTime);
  sim.advanceClock(30_000);
  const id = sim.addClip({ cameraId: added.deviceIds[0] ?? 0 });
  const next = await account.changesSince(base.watermark);
  assert.deepEqual(
    next.clips.map((c) => c.id),
    [String(id)],
  );
  assert.ok(next.serverTime !== undefined && next.serverTime >= base.serverTime + 29_000);
});

test('a clip thumbnail without an extension gets .jpg; one with an extension or a query is kept', () => {
  assert.equal(clipThumbnailPath('/api/v2/accounts/1001/media/thumb/123'), '/api/v2/accounts/1001/media/thumb/123.jpg');
  assert.equal(clipThumbnailPath('/api/v2/accounts/1001/media/thumb/123?x=1'), '/api/v2/accounts/1001/media/thumb/123.jpg?x=1');
  const v3 = '/api/v3/media/accounts/1001/networks/2001/catalina/4001/pir/7000005.jpg?ext=';
  assert.equal(clipThumbnailPath(v3), v3);
  assert.equal(clipThumbnailPath('/a/b/c.jpeg'), '/a/b/c.jpeg');
});

test("legacy clip paths: the thumbnail gets .jpg, and both downloads follow Blink's redirect to the current path", async (t) => {
  const sim = await startSim(t);
  const { account } = await loggedIn(t, sim);
  const id = sim.addClip({ cameraId: 4001, legacyPaths: true });
  const { clips } = await account.listClips();
  const clip = clips.find((c) => c.id === String(id));
  assert.ok(clip);
  assert.equal(clip.thumbnailPath, `/api/v2/accounts/1001/media/thumb/${id}.jpg`);
  assert.equal(clip.mediaPath, `/api/v2/accounts/1001/media/clip/${id}.mp4`);
  sim.resetCounts();
  const thumb = await readAll((await account.openClipThumbnail(clip)).stream);
  assert.deepEqual([...thumb.subarray(0, 3)], [0xff, 0xd8, 0xff]);
  const video = await readAll((await account.openClip(clip)).stream);
  assert.equal(video.subarray(4, 8).toString('latin1'), 'ftyp');
  const statuses = sim.requestLog().map((e) => `${e.status} ${e.routeClass}`);
  assert.deepEqual(statuses.filter((s) => s.startsWith('302')).length, 2, statuses.join('\n'));
});

test('a media redirect to a host outside Blink is not followed and carries no token', async (t) => {
  const sim = await startSim(t);
  const outsider = await startOutsider(t);
  const { account } = await loggedIn(t, sim);
  const { clips } = await account.listClips();
  const clip = clips.find((c) => !c.deleted);
  assert.ok(clip);
  sim.injectFault({ path: clip.mediaPath, status: 302, location: `${outsider.origin}${clip.mediaPath}` });
  await assert.rejects(account.openClip(clip), BlinkApiError);
  assert.deepEqual(outsider.seen, []);
});
