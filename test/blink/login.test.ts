import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BlinkLoginError } from '../../src/errors.js';
import { EMAIL, PASSWORD, awaitingCode, makeService, memoryStore, startSim, wrongCode } from './helpers.js';

test('login without 2FA yields a session with tier and account id from tier_info', async (t) => {
  const sim = await startSim(t);
  const { service } = makeService(t, sim);
  sim.resetCounts();
  const step = await service.login(EMAIL, PASSWORD);
  assert.equal(step.kind, 'done');
  if (step.kind !== 'done') return;
  assert.equal(step.session.accountId, '1001');
  assert.equal(step.session.tier, 'u011');
  assert.match(step.session.hardwareId, /^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/);
  assert.ok(step.session.accessExpiresAt > Date.now());
  console.log('login requests', JSON.stringify(sim.requestCounts()));
});

test('a passed hardware id is kept', async (t) => {
  const sim = await startSim(t);
  const { service } = makeService(t, sim);
  const step = await service.login(EMAIL, PASSWORD, { hardwareId: '3F2B8C1D-6A4E-4B9F-9D21-7C5E0A8B4F36' });
  assert.equal(step.kind === 'done' && step.session.hardwareId, '3F2B8C1D-6A4E-4B9F-9D21-7C5E0A8B4F36');
});

test('a wrong password is bad-credentials and the password is in no error', async (t) => {
  const sim = await startSim(t);
  const { service } = makeService(t, sim);
  await assert.rejects(service.login(EMAIL, 'wrong-password-xyz'), (err: unknown) => {
    assert.ok(err instanceof BlinkLoginError);
    assert.equal(err.reason, 'bad-credentials');
    assert.ok(!JSON.stringify({ m: err.message, s: err.stack }).includes('wrong-password-xyz'));
    return true;
  });
});

for (const mode of ['412', '202'] as const) {
  test(`2FA (${mode}): a wrong code is bad-code, the right code then completes without a new PIN`, async (t) => {
    const sim = await startSim(t);
    const { service, pending } = await awaitingCode(t, sim, { mode });
    const pin = sim.currentPin(EMAIL);
    assert.ok(pin);
    await assert.rejects(pending.submitCode(wrongCode(pin)), (e: unknown) => e instanceof BlinkLoginError && e.reason === 'bad-code');
    assert.equal(sim.currentPin(EMAIL), pin, 'no new code was requested');
    const session = await pending.submitCode(pin);
    assert.equal(session.accountId, '1001');
    assert.equal(session.tier, 'u011');
    const account = service.account(session, memoryStore());
    const inv = await account.inventory();
    assert.ok(inv.cameras.length >= 3);
  });
}

test('an expired 2FA attempt rejects with expired and sends nothing', async (t) => {
  const sim = await startSim(t);
  const { clock, pending } = await awaitingCode(t, sim);
  assert.equal(pending.expiresAt, clock.now() + 10 * 60_000);
  clock.advance(10 * 60_000 + 1);
  sim.resetCounts();
  await assert.rejects(pending.submitCode(sim.currentPin(EMAIL) ?? ''), (e: unknown) => e instanceof BlinkLoginError && e.reason === 'expired');
  assert.equal(sim.requestCounts().total, 0);
});

test('a 2FA verify answered with a redirect to the authorize step is a success (newer Blink)', async (t) => {
  const sim = await startSim(t);
  const { service, pending } = await awaitingCode(t, sim, { redirect: true });
  sim.resetCounts();
  const session = await pending.submitCode(sim.currentPin(EMAIL) ?? '');
  assert.equal(session.accountId, '1001');
  const counts = sim.requestCounts();
  assert.equal(counts['POST /oauth/v2/2fa/verify'], 1);
  assert.equal(counts['GET /oauth/v2/authorize'], 1, 'the redirect itself led to the code: no second authorize');
  assert.equal(counts['POST /oauth/token'], 1);
  const inv = await service.account(session, memoryStore()).inventory();
  assert.ok(inv.cameras.length >= 3);
});

test('a wrong code is still bad-code when good codes are answered with a redirect', async (t) => {
  const sim = await startSim(t);
  const { pending } = await awaitingCode(t, sim, { redirect: true });
  const pin = sim.currentPin(EMAIL);
  await assert.rejects(pending.submitCode(wrongCode(pin)), (e: unknown) => e instanceof BlinkLoginError && e.reason === 'bad-code');
  assert.equal((await pending.submitCode(pin ?? '')).accountId, '1001');
});

for (const [channel, mode] of [
  ['sms', '412'],
  ['email', '202'],
] as const) {
  test(`the 2FA channel is the one Blink named (${channel})`, async (t) => {
    const sim = await startSim(t);
    sim.setTwoFactor(EMAIL, mode, channel);
    const { service } = makeService(t, sim);
    const step = await service.login(EMAIL, PASSWORD);
    assert.equal(step.kind === 'awaiting-code' && step.pending.codeSentVia, channel);
  });
}

test('the 2FA channel is read from method objects and masked destinations; nothing is guessed', async (t) => {
  const sim = await startSim(t);
  const { service } = makeService(t, sim);
  const cases: [unknown, string | undefined][] = [
    [{ tsv_state: 'required', tsv_methods: [{ type: 'EMAIL', destination: 'o***@example.com' }] }, 'email'],
    [{ tsv_state: 'required', tsv_methods: ['totp', 'sms'] }, 'sms'],
    [{ tsv_state: 'required', email: 'o***@example.com' }, 'email'],
    [{ tsv_state: 'required', tsv_methods: ['carrier-pigeon'] }, undefined],
  ];
  for (const [body, expected] of cases) {
    sim.injectFault({ method: 'POST', path: '/oauth/v2/signin', status: 412, body });
    const step = await service.login(EMAIL, PASSWORD);
    assert.equal(step.kind, 'awaiting-code');
    assert.equal(step.kind === 'awaiting-code' ? step.pending.codeSentVia : 'none', expected, JSON.stringify(body));
  }
});
