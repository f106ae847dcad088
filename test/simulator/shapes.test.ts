import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { startBlinkSimulator, type BlinkSimulator } from '../../src/simulator/index.js';
import { createOAuthWalker, FIXTURE_EMAIL, FIXTURE_PASSWORD, pick, restJson } from './sim-client.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/blink', import.meta.url));

/** Every key path of a JSON value; arrays contribute their elements' paths under `[]`. */
function keyPaths(value: unknown, prefix = ''): Set<string> {
  const out = new Set<string>();
  const walk = (v: unknown, p: string): void => {
    if (Array.isArray(v)) {
      for (const item of v) walk(item, `${p}[]`);
    } else if (typeof v === 'object' && v !== null) {
      for (const [k, child] of Object.entries(v)) {
        const path = p ? `${p}.${k}` : k;
        out.add(path);
        walk(child, path);
      }
    }
  };
  walk(value, prefix);
  return out;
}

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));
}

function sameKeys(actual: unknown, fixtureName: string): void {
  const want = [...keyPaths(fixture(fixtureName))].sort();
  const got = [...keyPaths(actual)].sort();
  assert.deepEqual(got, want, `key paths differ from ${fixtureName}`);
}

async function setup(t: { after: (fn: () => Promise<void>) => void }, polls = 2): Promise<{ sim: BlinkSimulator; token: string }> {
  const sim = await startBlinkSimulator({ commandPolls: polls });
  t.after(() => sim.close());
  return { sim, token: sim.issueTokens(1001).accessToken };
}

test('account-level routes match fixture key sets', async (t) => {
  const { sim, token } = await setup(t);
  const get = async (path: string, method = 'GET', body?: unknown, tier = 'u011') => {
    const r = await restJson(sim, token, path, { method, body, tier });
    assert.equal(r.status, 200, `${method} ${path}`);
    assert.match(r.headers.get('content-type') ?? '', /^application\/json/);
    return r.body;
  };
  sameKeys(await get('/api/v1/users/tier_info', 'GET', undefined, 'prod'), 'tier_info.json');
  sameKeys(await get('/api/v3/accounts/1001/homescreen'), 'homescreen.json');
  sameKeys(await get('/networks'), 'networks.json');
  sameKeys(await get('/api/v1/camera/usage'), 'camera_usage.json');
  sameKeys(await get('/network/2001/syncmodules'), 'syncmodules.json');
  const update = await get('/network/2001/update', 'POST');
  sameKeys(update, 'network_update.json');
  assert.equal(pick(update, 'id'), undefined, 'no top-level id (blinkpy would poll it as a command)');
  sameKeys(await get('/network/2001'), 'network_status.json');
  sameKeys(await get('/network/2001/camera/4001/config'), 'camera_config_catalina.json');
  sameKeys(await get('/network/2001/camera/4001/signals'), 'camera_signals.json');
  sameKeys(await get('/api/v1/accounts/1001/networks/2001/owls/5001/config'), 'owl_config.json');
  sameKeys(await get('/api/v1/accounts/1001/notifications/configuration'), 'notifications_configuration.json');
  sameKeys(await get('/api/v1/accounts/1001/notifications/configuration', 'POST', { notifications: { low_battery: false } }), 'notifications_update.json');
  assert.equal(pick(await get('/api/v1/accounts/1001/notifications/configuration'), 'notifications', 'low_battery'), false);

  const home = await get('/api/v3/accounts/1001/homescreen');
  const fixtureHome = fixture('homescreen.json');
  for (const list of ['cameras', 'owls', 'doorbells'] as const) {
    assert.equal(pick(home, list, 0, 'id'), pick(fixtureHome, list, 0, 'id'));
    assert.equal(pick(home, list, 0, 'name'), pick(fixtureHome, list, 0, 'name'));
  }
  assert.equal(pick(home, 'sync_modules', 0, 'local_storage_status'), 'active');
  assert.match(String(pick(home, 'doorbells', 0, 'thumbnail')), /^\/media\/u011\/account\/1001\/network\/2001\/lotus\/6001\/thumbnail\/fw_14\.12__/);
});

test('command routes match fixture key sets', async (t) => {
  const { sim, token } = await setup(t);
  const post = async (path: string, body?: unknown) => {
    const r = await restJson(sim, token, path, { method: 'POST', body });
    assert.equal(r.status, 200, path);
    return r.body;
  };
  sameKeys(await post('/api/v1/accounts/1001/networks/2001/state/arm'), 'command_arm.json');
  sameKeys(await post('/api/v1/accounts/1001/networks/2001/state/disarm'), 'command_disarm.json');
  const snap = await post('/network/2001/camera/4001/thumbnail');
  sameKeys(snap, 'command_snap_camera.json');
  sameKeys(await post('/api/v1/accounts/1001/networks/2001/owls/5001/thumbnail'), 'command_snap_owl.json');
  sameKeys(await post('/network/2001/camera/4001/clip'), 'command_clip_camera.json');
  sameKeys(await post('/network/2001/camera/4001/enable'), 'command_motion_enable_camera.json');
  const live = await post('/api/v6/accounts/1001/networks/2001/cameras/4001/liveview', { intent: 'liveview', motion_event_start_time: null });
  sameKeys(live, 'liveview_camera.json');
  assert.match(String(pick(live, 'server')), /^immis:\/\//);
  sameKeys(await post(`/network/2001/command/${String(pick(live, 'command_id'))}/done/`), 'command_done.json');

  const id = String(pick(snap, 'id'));
  const first = await restJson(sim, token, `/network/2001/command/${id}`);
  sameKeys(first.body, 'command_status_incomplete.json');
  assert.equal(pick(first.body, 'complete'), false);
  const second = await restJson(sim, token, `/network/2001/command/${id}`);
  sameKeys(second.body, 'command_status_complete.json');
  assert.equal(pick(second.body, 'complete'), true);

  sim.failNextCommand();
  const failing = await post('/network/2001/camera/4001/thumbnail');
  await restJson(sim, token, `/network/2001/command/${String(pick(failing, 'id'))}`);
  const failed = await restJson(sim, token, `/network/2001/command/${String(pick(failing, 'id'))}`);
  sameKeys(failed.body, 'command_status_failed.json');
  assert.notEqual(pick(failed.body, 'status_code'), 908);
});

test('media, local storage, errors and OAuth bodies match fixture key sets', async (t) => {
  const { sim, token } = await setup(t, 1);
  const page1 = await restJson(sim, token, '/api/v1/accounts/1001/media/changed?since=2000-01-01T00:00:00+0000&page=1');
  sameKeys(page1.body, 'media_changed_page1.json');
  const fixturePage = fixture('media_changed_page1.json');
  for (let i = 0; i < 5; i++) {
    for (const key of ['id', 'device_name', 'deleted', 'device', 'source']) {
      assert.equal(pick(page1.body, 'media', i, key), pick(fixturePage, 'media', i, key), `media[${i}].${key}`);
    }
  }
  sameKeys((await restJson(sim, token, '/api/v1/accounts/1001/media/changed?since=2000-01-01T00:00:00+0000&page=2')).body, 'media_changed_empty.json');

  const base = '/api/v1/accounts/1001/networks/2001/sync_modules/3001/local_storage';
  const req = await restJson(sim, token, `${base}/manifest/request`, { method: 'POST' });
  sameKeys(req.body, 'local_storage_manifest_request.json');
  await restJson(sim, token, `/network/2001/command/${String(pick(req.body, 'id'))}`);
  const manifest = await restJson(sim, token, `${base}/manifest/request/${String(pick(req.body, 'id'))}`);
  sameKeys(manifest.body, 'local_storage_manifest.json');
  assert.equal(pick(manifest.body, 'manifest_id'), '8001');
  assert.deepEqual(
    [0, 1, 2].map((i) => [pick(manifest.body, 'clips', i, 'id'), pick(manifest.body, 'clips', i, 'camera_name')]),
    [0, 1, 2].map((i) => [
      pick(fixture('local_storage_manifest.json'), 'clips', i, 'id'),
      pick(fixture('local_storage_manifest.json'), 'clips', i, 'camera_name'),
    ]),
  );
  sameKeys((await restJson(sim, token, `${base}/manifest/8001/clip/request/7100003`, { method: 'POST' })).body, 'local_storage_clip_request.json');

  sameKeys((await restJson(sim, 'nope', '/networks')).body, 'error_unauthorized.json');
  sim.injectFault({ path: '/networks', busy: true });
  const busy = await restJson(sim, token, '/networks');
  assert.equal(busy.status, 409);
  assert.deepEqual(busy.body, fixture('error_system_busy.json'));

  sim.setTwoFactor(FIXTURE_EMAIL, '412');
  const w = createOAuthWalker(sim);
  await w.authorize();
  await w.signinPage();
  sameKeys(await (await w.signin(FIXTURE_EMAIL, FIXTURE_PASSWORD)).json(), 'oauth_signin_2fa_required.json');
  sameKeys(await (await w.verify(sim.currentPin(FIXTURE_EMAIL) ?? '')).json(), 'oauth_2fa_verify.json');
  const code = await w.code();
  sameKeys(await (await w.exchange(code ?? '')).json(), 'oauth_token.json');
  sameKeys(await (await w.exchange(code ?? '')).json(), 'oauth_token_error.json');
});
