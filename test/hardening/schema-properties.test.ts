/**
 * Property: whatever shape Blink's JSON takes (fields removed, nulled, retyped, extra
 * fields, 20,000-element arrays, unicode), the client either returns data or throws a
 * BlinkProtocolError. Never a TypeError, a hang, or a half-parsed object. Each run serves
 * a mutated copy of a shared fixture through the simulator's fault hook (status 200).
 * Whole lists with one bad member at a random position: exactly the good members, in
 * order, and one warning naming the bad member's path (docs/blink-api.md, "Tolerant parsing").
 */
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import fc from 'fast-check';
import type { BlinkAccount } from '../../src/blink/types.js';
import { BlinkAuthError, BlinkProtocolError } from '../../src/errors.js';
import { createBlinkService } from '../../src/blink/service.js';
import { PASSWORD, EMAIL, createFastClock, fastLimits, makeService, memoryStore, recordingLog, startSim } from '../blink/helpers.js';
import { mutate, mutationsArb, type Json } from './mutate-json.js';
import { numRuns, recordInputs } from './budget.js';

/** The stored session of the simulator's account 1001 with `tokens`, valid for an hour. */
function simSession(tokens: { accessToken: string; refreshToken: string }) {
  return {
    accountId: '1001',
    tier: 'u011',
    hardwareId: 'hw-1',
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    accessExpiresAt: Date.now() + 3_600_000,
  };
}

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
  const account = service.account(simSession(tokens), memoryStore());
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
  {
    name: 'notifications → notificationFlags()',
    fixture: 'notifications_configuration.json',
    path: '/notifications/configuration',
    call: (a) => a.notificationFlags(),
  },
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

// ---- Whole lists with one bad member ----

type Obj = { [key in string]?: Json };

function objectOf(value: Json | undefined): Obj {
  assert.ok(value !== null && typeof value === 'object' && !Array.isArray(value));
  return value;
}

/** A fixture list's first member: the template good members are made from. */
function template(body: Json, list: string): Obj {
  const items = objectOf(body)[list];
  assert.ok(Array.isArray(items));
  return objectOf(items[0]);
}

interface ListCase {
  /** Body path of the list, also the start of the reported path. */
  list: string;
  fixture: string;
  path: string;
  /** Fields without which a member cannot be used. */
  required: string[];
  /** Ids the client returns for that list, in order. */
  read: (a: BlinkAccount) => Promise<string[]>;
}

const homescreenIds = (family: string) => async (a: BlinkAccount) => (await a.inventory()).cameras.filter((c) => c.family === family).map((c) => c.id);

const lists: ListCase[] = [
  { list: 'cameras', fixture: 'homescreen.json', path: '/homescreen', required: ['id', 'network_id', 'name'], read: homescreenIds('camera') },
  { list: 'owls', fixture: 'homescreen.json', path: '/homescreen', required: ['id', 'network_id', 'name'], read: homescreenIds('owl') },
  { list: 'doorbells', fixture: 'homescreen.json', path: '/homescreen', required: ['id', 'network_id', 'name'], read: homescreenIds('doorbell') },
  {
    list: 'networks',
    fixture: 'homescreen.json',
    path: '/homescreen',
    required: ['id', 'name'],
    read: async (a) => (await a.inventory()).networks.map((n) => n.id),
  },
  {
    list: 'sync_modules',
    fixture: 'homescreen.json',
    path: '/homescreen',
    required: ['id', 'network_id'],
    read: async (a) => (await a.inventory()).syncModules.map((s) => s.id),
  },
  {
    list: 'media',
    fixture: 'media_changed_page1.json',
    path: '/media/changed',
    required: ['id', 'created_at', 'updated_at', 'device_id', 'device_name', 'network_id', 'media'],
    read: async (a) => (await a.listClips()).clips.map((c) => c.id),
  },
];

/** What makes a member unusable: a required field gone or of a type no schema accepts, or no object at all. */
const badMemberArb = (required: string[]): fc.Arbitrary<(good: Obj) => Json> =>
  fc.oneof(
    fc.constantFrom(...required).map((key) => (good: Obj): Json => {
      const copy = { ...good };
      delete copy[key];
      return copy;
    }),
    fc.tuple(fc.constantFrom(...required), fc.constantFrom<Json>(null, true, {}, [1])).map(
      ([key, value]) =>
        (good: Obj): Json => ({ ...good, [key]: value }),
    ),
    fc.constantFrom<Json>(null, 'floodlight', 7, []).map((value) => (): Json => value),
  );

for (const c of lists) {
  test(`${c.list}: a whole list with one bad member keeps exactly the good members, in order, and names the bad one's path`, async (t) => {
    const sim = await startSim(t);
    const base = fixture(c.fixture);
    const tokens = sim.issueTokens(1001);
    const first = template(base, c.list);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 6 }), fc.nat(), badMemberArb(c.required), async (goodCount, at, bad) => {
        recordInputs(1);
        const good = Array.from({ length: goodCount }, (_, i) => ({ ...first, id: 80_000 + i }));
        const position = at % (goodCount + 1);
        const members: Json[] = [...good];
        members.splice(position, 0, bad({ ...first, id: 89_999 }));
        sim.clearFaults();
        sim.injectFault({ path: c.path, status: 200, body: { ...objectOf(base), [c.list]: members } });
        // A fresh client per run: each one warns once per skipped entry, so every run must warn.
        const recorded = recordingLog();
        // Far above anything the in-process simulator needs: a loaded machine cannot fail the run.
        const service = createBlinkService({
          urls: { oauth: sim.url, restTemplate: `${sim.url}/rest-{tier}` },
          clock: createFastClock(),
          log: recorded.log,
          limits: fastLimits,
          timeouts: { apiMs: 60_000, mediaMs: 60_000 },
        });
        try {
          const account = service.account(simSession(tokens), memoryStore());
          assert.deepEqual(
            await c.read(account),
            good.map((g) => String(g.id)),
          );
          const skipped = recorded.lines.filter((l) => l.includes('skipped'));
          assert.equal(skipped.length, 1, `one warning: ${skipped.join(' | ')}`);
          assert.ok(skipped[0]?.includes(`"path":"${c.list}.${position}"`), `names ${c.list}.${position}: ${skipped[0] ?? ''}`);
        } finally {
          await service.close();
        }
      }),
      { numRuns: numRuns(25), seed: 131313 },
    );
  });
}
