/**
 * Property: whatever shape Blink's JSON takes (fields removed, nulled, retyped, extra
 * fields, 20,000-element arrays, unicode), the client either returns data or throws a
 * BlinkProtocolError. Never a TypeError, a hang, or a half-parsed object. Each run serves
 * a mutated copy of a shared fixture through the simulator's fault hook (status 200).
 */
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import fc from 'fast-check';
import type { BlinkAccount } from '../../src/blink/types.js';
import { BlinkAuthError, BlinkProtocolError } from '../../src/errors.js';
import { PASSWORD, EMAIL, makeService, memoryStore, startSim } from '../blink/helpers.js';
import { mutate, mutationsArb, type Json } from './mutate-json.js';
import { numRuns, recordInputs } from './budget.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/blink', import.meta.url));

function fixture(name: string): Json {
  const parsed: fc.JsonValue = JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8'));
  return parsed;
}

async function setUp(t: TestContext): Promise<{ sim: Awaited<ReturnType<typeof startSim>>; account: BlinkAccount; login: () => Promise<unknown> }> {
  const sim = await startSim(t);
  // The property is about shapes, not speed: parsing a 20,000-element array on a loaded
  // machine can take seconds, so the request deadline is far above anything the in-process
  // simulator needs and a slow run cannot fail it (a real hang still ends the test).
  const { service } = makeService(t, sim, {
    limits: { globalPerSecond: 10_000, perAccountMinTimeMs: 0, backoffBaseMs: 1, backoffMaxMs: 2, maxAttempts: 1 },
    timeouts: { apiMs: 60_000, mediaMs: 60_000 },
  });
  const tokens = sim.issueTokens(1001);
  const account = service.account(
    { accountId: '1001', tier: 'u011', hardwareId: 'hw-1', accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, accessExpiresAt: Date.now() + 3_600_000 },
    memoryStore(),
  );
  return { sim, account, login: () => service.login(EMAIL, PASSWORD) };
}

/** Data, or exactly a BlinkProtocolError; anything else fails the property. */
async function dataOrProtocolError(call: () => Promise<unknown>, alsoFine: (e: unknown) => boolean = () => false): Promise<void> {
  try {
    await call();
  } catch (error) {
    if (alsoFine(error)) return;
    if (error instanceof BlinkProtocolError) {
      // Issue paths only: a mutated value must never reach the message.
      assert.ok(!/[<>`]/.test(error.message), `protocol error message carries a value: ${error.message}`);
      return;
    }
    throw error;
  }
}

const endpoints: { name: string; fixture: string; path: string | RegExp; call: (a: BlinkAccount) => Promise<unknown> }[] = [
  { name: 'homescreen → inventory()', fixture: 'homescreen.json', path: '/homescreen', call: (a) => a.inventory() },
  { name: 'media/changed → listClips()', fixture: 'media_changed_page1.json', path: '/media/changed', call: (a) => a.listClips() },
  { name: 'notifications → notificationFlags()', fixture: 'notifications_configuration.json', path: '/notifications/configuration', call: (a) => a.notificationFlags() },
];

for (const endpoint of endpoints) {
  test(`${endpoint.name}: every mutated response gives data or a BlinkProtocolError`, async (t) => {
    const { sim, account } = await setUp(t);
    const base = fixture(endpoint.fixture);
    await fc.assert(
      fc.asyncProperty(mutationsArb, async (mutations) => {
        recordInputs(1);
        sim.clearFaults();
        sim.injectFault({ path: endpoint.path, status: 200, body: mutate(base, mutations) });
        await dataOrProtocolError(() => endpoint.call(account));
      }),
      { numRuns: numRuns(40), seed: 424242 },
    );
  });
}

test('oauth/token: a mutated token response at login gives a session or a BlinkProtocolError', async (t) => {
  const { sim, login } = await setUp(t);
  const base = fixture('oauth_token.json');
  await fc.assert(
    fc.asyncProperty(mutationsArb, async (mutations) => {
      recordInputs(1);
      sim.clearFaults();
      sim.injectFault({ method: 'POST', path: '/oauth/token', status: 200, body: mutate(base, mutations) });
      // A well-formed token the simulator never issued is refused by the next call
      // (tier_info 401): a BlinkAuthError there is the server's answer, not a parse failure.
      await dataOrProtocolError(login, (e) => e instanceof BlinkAuthError && e.endpoint === 'users/tier_info');
    }),
    { numRuns: numRuns(30), seed: 777 },
  );
});

test('the mutator really breaks things: a nulled root is refused as a BlinkProtocolError', async (t) => {
  const { sim, account } = await setUp(t);
  sim.injectFault({ path: '/homescreen', status: 200, body: 'not an object' });
  await assert.rejects(account.inventory(), BlinkProtocolError);
});
