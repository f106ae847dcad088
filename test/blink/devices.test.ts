import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BlinkCommandError } from '../../src/errors.js';
import type { BlinkAccount, BlinkCamera } from '../../src/blink/types.js';
import { loggedIn, readAll, startSim } from './helpers.js';

async function camera(account: BlinkAccount, family: BlinkCamera['family']): Promise<BlinkCamera> {
  const c = (await account.inventory()).cameras.find((x) => x.family === family);
  assert.ok(c, `a ${family} in the inventory`);
  return c;
}

test('inventory is one homescreen request with every family', async (t) => {
  const sim = await startSim(t);
  const { account } = await loggedIn(t, sim);
  sim.resetCounts();
  const inv = await account.inventory();
  assert.equal(sim.requestCounts().total, 1);
  assert.equal(inv.accountId, '1001');
  assert.deepEqual(
    inv.networks.map((n) => [n.id, n.name]),
    [['2001', 'Home']],
  );
  assert.equal(inv.syncModules[0]?.id, '3001');
  const byId = new Map(inv.cameras.map((c) => [c.id, c]));
  assert.equal(byId.get('4001')?.family, 'camera');
  assert.equal(byId.get('4001')?.type, 'catalina');
  assert.equal(byId.get('5001')?.family, 'owl');
  assert.equal(byId.get('6001')?.family, 'doorbell');
  assert.equal(byId.get('6001')?.capabilities.ring, true);
  assert.equal(byId.get('4001')?.capabilities.battery, true);
  assert.equal(byId.get('5001')?.capabilities.battery, false);
});

test('detailed inventory adds config for regular cameras (dBm Wi-Fi, temperature)', async (t) => {
  const sim = await startSim(t);
  const { account } = await loggedIn(t, sim);
  sim.resetCounts();
  const inv = await account.inventory({ detailed: true });
  const front = inv.cameras.find((c) => c.id === '4001');
  assert.ok(front?.wifiStrength !== undefined && front.wifiStrength < 0, 'dBm');
  assert.equal(typeof front?.temperatureF, 'number');
  assert.equal(sim.requestCounts().total, 1 + inv.cameras.filter((c) => c.family === 'camera').length);
});

test('setArmed returns the state Blink reports after the command', async (t) => {
  const sim = await startSim(t, { commandPolls: 2 });
  const { account } = await loggedIn(t, sim);
  assert.deepEqual(await account.setArmed('2001', false), { armed: false });
  assert.equal((await account.inventory()).networks[0]?.armed, false);
  assert.deepEqual(await account.setArmed('2001', true), { armed: true });
});

test('a command that never completes fails with a time-out at the deadline', async (t) => {
  const sim = await startSim(t, { commandPolls: 1000 });
  const { account, clock } = await loggedIn(t, sim, { commands: { commandDeadlineMs: 5000, pollIntervalMs: 1000 } });
  const start = clock.now();
  await assert.rejects(account.setArmed('2001', false), (e: unknown) => e instanceof BlinkCommandError && e.timedOut);
  assert.ok(clock.now() - start <= 5000);
});

test('a failed command is BlinkCommandError (not timed out)', async (t) => {
  const sim = await startSim(t);
  const { account } = await loggedIn(t, sim);
  sim.failNextCommand();
  await assert.rejects(account.setArmed('2001', false), (e: unknown) => e instanceof BlinkCommandError && !e.timedOut);
});

for (const family of ['camera', 'owl', 'doorbell'] as const) {
  test(`setMotion on a ${family} is confirmed by read-back`, async (t) => {
    const sim = await startSim(t);
    const { account } = await loggedIn(t, sim);
    const cam = await camera(account, family);
    const target = !cam.motionEnabled;
    assert.deepEqual(await account.setMotion(cam, target), { enabled: target });
    assert.equal((await camera(account, family)).motionEnabled, target);
    assert.deepEqual(await account.setMotion(cam, !target), { enabled: !target });
  });

  test(`snap on a ${family} returns the new picture`, async (t) => {
    const sim = await startSim(t);
    const { account } = await loggedIn(t, sim);
    const cam = await camera(account, family);
    const stages: string[] = [];
    sim.resetCounts();
    const pic = await account.snap(cam, { onProgress: (s) => stages.push(s) });
    const bytes = await readAll(pic.stream);
    assert.deepEqual([...bytes.subarray(0, 3)], [0xff, 0xd8, 0xff]);
    const after = await camera(account, family);
    assert.notEqual(after.thumbnail, cam.thumbnail);
    assert.deepEqual(stages, ['snap requested', 'waiting for the new picture', 'downloading']);
    console.log(`snap ${family} requests`, JSON.stringify(sim.requestCounts()));
  });

  test(`recordClip on a ${family} adds a clip`, async (t) => {
    const sim = await startSim(t);
    const { account } = await loggedIn(t, sim);
    const cam = await camera(account, family);
    const before = (await account.listClips()).clips.length;
    await account.recordClip(cam);
    const after = await account.listClips();
    assert.ok(after.clips.length > before || after.clips.some((c) => c.cameraId === cam.id));
  });
}

test('snap fails with BlinkCommandError when the thumbnail never changes', async (t) => {
  const sim = await startSim(t);
  const { account } = await loggedIn(t, sim, { commands: { snapReadAttempts: 3, snapBackoffMs: 10 } });
  const cam = await camera(account, 'owl');
  // The simulator bumps the thumbnail on completion; a failing command leaves it unchanged.
  sim.injectFault({ method: 'POST', path: /owls\/5001\/thumbnail$/, status: 200, body: { message: 'ok' } });
  await assert.rejects(account.snap(cam), (e: unknown) => e instanceof BlinkCommandError && e.timedOut);
});

test('openThumbnail streams the current JPEG', async (t) => {
  const sim = await startSim(t);
  const { account } = await loggedIn(t, sim);
  for (const cam of (await account.inventory()).cameras) {
    const pic = await account.openThumbnail(cam);
    assert.equal(pic.contentType, 'image/jpeg');
    const bytes = await readAll(pic.stream);
    assert.deepEqual([...bytes.subarray(0, 3)], [0xff, 0xd8, 0xff]);
  }
});

test('notification flags read and write', async (t) => {
  const sim = await startSim(t);
  const { account } = await loggedIn(t, sim);
  const flags = await account.notificationFlags();
  assert.equal(typeof flags.motion, 'boolean');
  await account.setNotificationFlags({ low_battery: !flags.low_battery });
  assert.equal((await account.notificationFlags()).low_battery, !flags.low_battery);
});

test('logout is best effort and releases the account', async (t) => {
  const sim = await startSim(t);
  const { account, service } = await loggedIn(t, sim);
  await account.inventory();
  sim.injectFault({ path: '/logout', status: 500 });
  await account.logout();
  assert.equal(service.limiterCount(), 0);
});
