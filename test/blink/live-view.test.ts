import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { immisHostAllowed, parseImmisUrl } from '../../src/blink/live/immis-target.js';
import type { BlinkCamera } from '../../src/blink/types.js';
import { systemClock } from '../../src/clock.js';
import { BlinkLiveError } from '../../src/errors.js';
import type { BlinkSimulator } from '../../src/simulator/index.js';
import { liveClientOptions, liveSimOptions } from '../helpers/live-sim.js';
import { mp4Facts } from '../helpers/mp4-check.js';
import { until } from '../helpers/until.js';
import { loggedIn, startSim } from './helpers.js';

async function liveAccount(t: TestContext, timing = {}) {
  const sim = await startSim(t, liveSimOptions);
  const { account } = await loggedIn(t, sim, { clock: systemClock, live: liveClientOptions(sim, timing) });
  const inventory = await account.inventory();
  const camera = (family: BlinkCamera['family']): BlinkCamera => {
    const found = inventory.cameras.find((c) => c.family === family);
    assert.ok(found, family);
    return found;
  };
  return { sim, account, camera };
}

function doneCalls(sim: BlinkSimulator): number {
  return sim.requestLog().filter((e) => e.method === 'POST' && /\/command\/\d+\/done\/$/.test(e.path)).length;
}

async function noOpenSockets(sim: BlinkSimulator): Promise<void> {
  await until(() => sim.immisStats().open === 0, 'every immis socket closed', 15_000);
}

for (const family of ['camera', 'owl', 'doorbell'] as const) {
  test(`live view of a ${family}: 5 s of H.264 as an MP4 with moov first; command ended; socket closed`, async (t) => {
    const { sim, account, camera } = await liveAccount(t);
    const seen: number[] = [];
    const clip = await account.liveView(camera(family), { seconds: 5, onSeconds: (s) => seen.push(s) });
    const facts = await mp4Facts(clip.mp4);
    assert.deepEqual(facts.boxes.slice(0, 3), ['ftyp', 'moov', 'mdat']);
    assert.equal(facts.codec, 'avc');
    assert.ok(facts.durationSeconds >= 4.5 && facts.durationSeconds <= 5.5, `duration ${facts.durationSeconds}`);
    assert.deepEqual(seen, [1, 2, 3, 4, 5].slice(0, seen.length));
    assert.ok(seen.length >= 4);
    assert.equal(doneCalls(sim), 1);
    const stats = sim.immisStats();
    assert.equal(stats.authFailures, 0);
    assert.ok(stats.keepAlives >= 1, 'keep-alive sent');
    assert.ok(stats.latencyPackets >= 1, 'latency packets sent');
    await noOpenSockets(sim);
  });
}

const faults = [
  { kind: 'refuse', reason: 'refused' },
  { kind: 'stall', reason: 'stalled' },
  { kind: 'cut', reason: 'cut' },
  { kind: 'garbage', reason: 'garbage' },
  { kind: 'noise', reason: 'garbage' },
] as const;

for (const f of faults) {
  test(`immis fault "${f.kind}": BlinkLiveError ${f.reason}, command ended, nothing left open`, async (t) => {
    // Only the stall case needs a short stall deadline; the others are told by what arrives,
    // and a loaded machine must not turn them into a stall.
    const { sim, account, camera } = await liveAccount(t, { stallMs: f.kind === 'stall' ? 300 : 10_000 });
    sim.immisFault(f.kind);
    await assert.rejects(account.liveView(camera('camera'), { seconds: 5 }), (e: unknown) => e instanceof BlinkLiveError && e.reason === f.reason);
    assert.equal(doneCalls(sim), 1);
    await noOpenSockets(sim);
  });
}

test('stopping in the middle (shutdown) closes the stream and ends the command', async (t) => {
  const { sim, account, camera } = await liveAccount(t);
  const stop = new AbortController();
  const recording = account.liveView(camera('camera'), { seconds: 30, signal: stop.signal, onSeconds: (s) => s === 2 && stop.abort(new Error('shutdown')) });
  await assert.rejects(recording, (e: unknown) => e instanceof BlinkLiveError && e.reason === 'cut');
  assert.equal(doneCalls(sim), 1);
  await noOpenSockets(sim);
});

test('a live view server that is not Blink-like is refused before any connection', async (t) => {
  const sim = await startSim(t, liveSimOptions);
  // Same simulator, but its host is not allowed: 127.0.0.1 is loopback.
  const { account } = await loggedIn(t, sim, { clock: systemClock, live: { ca: sim.immisCa } });
  const cam = (await account.inventory()).cameras[0];
  assert.ok(cam);
  await assert.rejects(account.liveView(cam, { seconds: 5 }), (e: unknown) => e instanceof BlinkLiveError && e.reason === 'host');
  assert.equal(sim.immisStats().connections, 0);
  assert.equal(doneCalls(sim), 1);
});

test('without the simulator CA the certificate is not trusted', async (t) => {
  const sim = await startSim(t, liveSimOptions);
  const { account } = await loggedIn(t, sim, { clock: systemClock, live: { allowedHosts: [sim.immisHost] } });
  const cam = (await account.inventory()).cameras[0];
  assert.ok(cam);
  await assert.rejects(account.liveView(cam, { seconds: 5 }), (e: unknown) => e instanceof BlinkLiveError && e.reason === 'refused');
});

test('immis host rule: Blink names, public addresses on 443, or listed hosts', () => {
  const t = parseImmisUrl('immis://203.0.113.10:443/AbCdEfGhIjKlMnOp__IMDS_G8T1AA0000004001?client_id=1201');
  assert.deepEqual(t, { host: '203.0.113.10', port: 443, connectionId: 'AbCdEfGhIjKlMnOp', serial: 'G8T1AA0000004001', clientId: 1201 });
  assert.equal(immisHostAllowed(t), true);
  assert.equal(immisHostAllowed({ host: 'lv-u011.immedia-semi.com', port: 443 }), true);
  for (const host of [
    '127.0.0.1',
    '10.0.0.5',
    '192.168.1.2',
    '172.20.0.1',
    '169.254.169.254',
    '::1',
    'fd00::1',
    'evil.example.com',
    'immedia-semi.com.evil.net',
  ]) {
    assert.equal(immisHostAllowed({ host, port: 443 }), false, host);
  }
  assert.equal(immisHostAllowed({ host: '203.0.113.10', port: 8443 }), false);
  assert.equal(immisHostAllowed({ host: '127.0.0.1', port: 5555 }, ['127.0.0.1']), true);
  assert.throws(() => parseImmisUrl('https://203.0.113.10/x__IMDS_y'), BlinkLiveError);
});
