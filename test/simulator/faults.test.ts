import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { fetch, request } from 'undici';
import { clipChunks, naturalClip, startBlinkSimulator } from '../../src/simulator/index.js';
import { pick, rest, restJson } from './sim-client.js';

async function setup(t: { after: (fn: () => Promise<void>) => void }) {
  const sim = await startBlinkSimulator();
  t.after(() => sim.close());
  return { sim, token: sim.issueTokens(1001).accessToken };
}

test('429 with Retry-After, 500, busy, malformed JSON, each once', async (t) => {
  const { sim, token } = await setup(t);
  sim.injectFault({ path: '/networks', status: 429, retryAfterSec: 7 });
  const limited = await rest(sim, token, '/networks');
  assert.equal(limited.status, 429);
  assert.equal(limited.headers.get('retry-after'), '7');
  await limited.arrayBuffer();
  assert.equal((await restJson(sim, token, '/networks')).status, 200, 'fault used up');

  sim.injectFault({ method: 'GET', path: /homescreen$/, status: 500, times: 2 });
  assert.equal((await restJson(sim, token, '/api/v3/accounts/1001/homescreen')).status, 500);
  assert.equal((await restJson(sim, token, '/api/v3/accounts/1001/homescreen')).status, 500);
  assert.equal((await restJson(sim, token, '/api/v3/accounts/1001/homescreen')).status, 200);

  sim.injectFault({ path: 'state/arm', busy: true });
  const busy = await restJson(sim, token, '/api/v1/accounts/1001/networks/2001/state/arm', { method: 'POST' });
  assert.equal(busy.status, 409);
  assert.match(String(pick(busy.body, 'message')), /busy/);

  sim.injectFault({ path: 'media/changed', malformedJson: true });
  const bad = await rest(sim, token, '/api/v1/accounts/1001/media/changed?since=2026-01-01T00:00:00+0000&page=1');
  assert.equal(bad.status, 200);
  assert.match(bad.headers.get('content-type') ?? '', /json/);
  await assert.rejects(bad.json());
});

test('hang until the client aborts; delay; truncated body', async (t) => {
  const { sim, token } = await setup(t);
  sim.injectFault({ path: '/networks', hang: true });
  const started = Date.now();
  await assert.rejects(rest(sim, token, '/networks', { signal: AbortSignal.timeout(200) }));
  assert.ok(Date.now() - started < 2_000);
  assert.equal((await restJson(sim, token, '/networks')).status, 200);

  sim.injectFault({ path: '/networks', delayMs: 150 });
  const t0 = Date.now();
  assert.equal((await restJson(sim, token, '/networks')).status, 200);
  assert.ok(Date.now() - t0 >= 140);

  sim.injectFault({ path: '.mp4', truncateAfterBytes: 1000 });
  const res = await rest(sim, token, '/api/v3/media/accounts/1001/networks/2001/catalina/4001/pir/7000005.mp4');
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-length'), String(sim.expectedClipBytes(7000005).length));
  await assert.rejects(res.arrayBuffer());
});

test('request counts per route class and the request log', async (t) => {
  const { sim, token } = await setup(t);
  sim.resetCounts();
  await restJson(sim, token, '/api/v1/accounts/1001/media/changed?since=2026-01-01T00:00:00+0000&page=1');
  await restJson(sim, token, '/api/v1/accounts/1001/media/changed?since=2026-01-01T00:00:00+0000&page=2');
  await restJson(sim, token, '/network/2001/command/123/done/', { method: 'POST' });
  await restJson(sim, token, '/nope');
  const counts = sim.requestCounts();
  assert.equal(counts['GET /api/v1/accounts/:a/media/changed'], 2);
  assert.equal(counts['POST /network/:n/command/:id/done'], 1);
  assert.equal(counts['GET (unmatched)'], 1);
  assert.equal(counts.total, 4);
  const log = sim.requestLog();
  assert.equal(log.length, 4);
  assert.equal(log[2]?.status, 404);
  assert.equal(log[0]?.path, '/rest-u011/api/v1/accounts/1001/media/changed');
});

test('control over HTTP, and main.ts as a separate process', async (t) => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/simulator/main.ts', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.after(() => {
    child.kill('SIGTERM');
  });
  const [line]: unknown[] = await once(createInterface({ input: child.stdout }), 'line');
  const url = String(pick(JSON.parse(String(line)), 'url'));
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
  const ctl = async (name: string, body: unknown = {}) => {
    const res = await fetch(`${url}/__sim/${name}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: await res.json() };
  };
  const added = await ctl('addAccount', { email: 'bench1@example.com', password: 'pw', tier: 'e006' });
  assert.equal(added.status, 200);
  const accountId = Number(pick(added.body, 'accountId'));
  const tokens = await ctl('issueTokens', { accountId });
  const token = String(pick(tokens.body, 'accessToken'));
  const nets = await fetch(`${url}/rest-e006/networks`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(nets.status, 200);
  assert.equal(Object.keys(Object(pick(await nets.json(), 'summary'))).length, 1);
  assert.equal((await ctl('injectFault', { pathRegex: 'networks$', status: 503 })).status, 200);
  assert.equal((await fetch(`${url}/rest-e006/networks`, { headers: { authorization: `Bearer ${token}` } })).status, 503);
  assert.equal((await ctl('injectFault', { status: 503 })).status, 400, 'zod refuses a fault without a path');
  assert.equal((await ctl('setTwoFactor', { email: 'bench1@example.com', mode: 'sms' })).status, 400);
  assert.equal((await ctl('noSuchThing')).status, 404);
  const counts = await (await fetch(`${url}/__sim/counts`)).json();
  assert.equal(pick(counts, 'GET /networks'), 2);
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const [code] = await exited;
  assert.equal(code, 0);
});

test('50 MB clip streams byte-exact with modest memory', async (t) => {
  const { sim, token } = await setup(t);
  const size = 50 * 1024 * 1024;
  const id = sim.addClip({ cameraId: 4001, size });
  const item = sim.state.media.get(id);
  assert.ok(item);
  const expected = createHash('sha256');
  for (const chunk of clipChunks(naturalClip({ id, camera: 'Front Door', createdAt: item.createdAt }), id, size)) expected.update(chunk);
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const { statusCode, headers, body } = await request(`${sim.restUrl('u011')}/api/v3/media/accounts/1001/networks/2001/catalina/4001/pir/${id}.mp4`, {
    headers: { authorization: `Bearer ${token}`, 'user-agent': 'sim-test', accept: '*/*' },
  });
  assert.equal(statusCode, 200);
  assert.equal(headers['content-length'], String(size));
  const got = createHash('sha256');
  let received = 0;
  let peak = 0;
  for await (const chunk of body) {
    assert.ok(Buffer.isBuffer(chunk));
    got.update(chunk);
    received += chunk.length;
    if ((received & 0xfffff) < 65536) peak = Math.max(peak, process.memoryUsage().rss);
  }
  assert.equal(received, size);
  assert.equal(got.digest('hex'), expected.digest('hex'));
  const growth = (Math.max(peak, process.memoryUsage().rss) - rssBefore) / 1024 / 1024;
  t.diagnostic(`rss growth ${growth.toFixed(1)} MB for a ${size / 1024 / 1024} MB clip`);
  assert.ok(growth < 40, `rss grew ${growth.toFixed(1)} MB`);
});
