/**
 * F35 and the start-up inventory spread, end to end against the simulator: N sessions in the
 * database when the service starts. Their first polls spread over one period, and their first
 * inventory (homescreen) reads spread over the health interval instead of all riding on the
 * first poll. A session linked after start-up still reads its inventory on its first poll.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createAlertService } from '../../src/alerts/alert-service.js';
import type { BlinkAccount } from '../../src/blink/types.js';
import type { ManualClock } from '../../src/clock.js';
import type { BlinkSimulator } from '../../src/simulator/server.js';
import { createRecordingSender, fixedSessions, linkSimOwner, startAlertsBackend } from './harness.js';

const N = 200;
const PERIOD = 60_000;
const HEALTH = 10 * 60_000;
const CHANGED = 'GET /api/v1/accounts/:a/media/changed';

const isHomescreen = (routeClass: string): boolean => routeClass.endsWith('/homescreen');
const accountOf = (p: string): string => /\/accounts\/(\d+)\//.exec(p)?.[1] ?? '?';

/** Park-Miller: the same "random" phases on every run. */
function seededRandom(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 16_807) % 2_147_483_647;
    return s / 2_147_483_647;
  };
}

/**
 * Advances the manual clock in steps; after each, waits (real time, briefly) until every
 * started poll has reached the simulator and the request log stops growing, so each request
 * is logged at the clock time its poll ran.
 */
async function advance(clock: ManualClock, sim: BlinkSimulator, polls: () => number, totalMs: number, stepMs: number): Promise<void> {
  for (let done = 0; done < totalMs; done += stepMs) {
    await clock.advance(Math.min(stepMs, totalMs - done));
    const end = Date.now() + 3_000;
    let stable = 0;
    let last = -1;
    // Quiet for 10 checks in a row: a poll's second request (the inventory read) follows its
    // change check only after the global limiter's own timers (Bottleneck), a few ms later.
    while (stable < 10) {
      if (Date.now() > end) throw new Error('timed out waiting for the polls of one step');
      await new Promise((r) => setTimeout(r, 1));
      const log = sim.requestLog();
      const changed = log.filter((r) => r.routeClass === CHANGED).length;
      stable = log.length === last && changed >= polls() ? stable + 1 : 0;
      last = log.length;
    }
  }
}

test(`${N} sessions at start-up: first polls spread over the period, first inventory reads over the health interval; a later link reads at once`, async (t) => {
  const backend = await startAlertsBackend({ sim: { seed: { accounts: [] } }, globalPerSecond: 100_000 });
  const { clock, sim, log } = backend;
  const accounts = new Map<string, BlinkAccount>();
  const link = (i: number): string => {
    const added = sim.addAccount({ email: `u${i}@example.com`, password: `pw-${i}-123456` });
    const { sessionId, account } = linkSimOwner(backend, i, added);
    accounts.set(sessionId, account);
    return String(added.accountId);
  };
  for (let i = 0; i < N; i++) link(i);

  const service = createAlertService({
    db: backend.db,
    sessions: fixedSessions(accounts),
    senders: new Map([['tg', createRecordingSender()]]),
    clock,
    random: seededRandom(42),
    log,
    config: { pollIntervalMs: PERIOD, timeZone: 'UTC', healthEveryMs: HEALTH },
  });
  const ctl = new AbortController();
  t.after(async () => {
    ctl.abort();
    await service.stop(0);
    await backend.close();
  });
  const polls = (): number => service.stats().polls;

  const start = clock.now();
  service.start(ctl.signal);
  await advance(clock, sim, polls, PERIOD, 1_000);

  // (a) F35: each session's first poll, by second after start.
  const firstPoll = new Map<string, number>();
  for (const r of sim.requestLog()) if (r.routeClass === CHANGED && !firstPoll.has(accountOf(r.path))) firstPoll.set(accountOf(r.path), r.time - start);
  assert.equal(firstPoll.size, N, 'every session polled in the first period');
  const perSecond = new Map<number, number>();
  for (const at of firstPoll.values()) perSecond.set(Math.floor(at / 1_000), (perSecond.get(Math.floor(at / 1_000)) ?? 0) + 1);
  const mean = N / (PERIOD / 1_000);
  const peak = Math.max(...perSecond.values());
  const times = [...firstPoll.values()];
  t.diagnostic(
    `first polls: peak ${peak}/s (mean ${mean.toFixed(1)}), over ${perSecond.size} distinct seconds, ${Math.min(...times)}..${Math.max(...times)} ms`,
  );
  assert.ok(peak <= 2 * mean + 4, `peak ${peak} first polls in one second (mean ${mean.toFixed(1)})`);
  assert.ok(perSecond.size >= 50, `first polls in only ${perSecond.size} distinct seconds`);
  assert.ok(Math.max(...times) - Math.min(...times) >= 55_000, 'first polls span about a period');

  // (b) first-cycle inventory reads: ~N × (period/2)/health in the first period (10 expected), not N.
  const homescreens = (): { account: string; at: number }[] =>
    sim
      .requestLog()
      .filter((r) => isHomescreen(r.routeClass))
      .map((r) => ({ account: accountOf(r.path), at: r.time - start }));
  const firstPeriod = homescreens().length;
  const perPeriodMean = (N * PERIOD) / HEALTH;
  t.diagnostic(`homescreen reads in the first period: ${firstPeriod} (N × period/health = ${perPeriodMean})`);
  assert.ok(firstPeriod <= perPeriodMean * 1.5, `${firstPeriod} inventory reads in the first period`);

  // (c) a session linked after start-up: the next rescan (every period) polls it at once,
  // and that first poll reads its inventory (no spread for it).
  const lateAccount = link(N);
  const beforeLate = sim.requestLog().length;
  await advance(clock, sim, polls, PERIOD + 5_000, 1_000);
  const late = sim
    .requestLog()
    .slice(beforeLate)
    .filter((r) => accountOf(r.path) === lateAccount);
  const lateFirst = late.findIndex((r) => r.routeClass === CHANGED);
  assert.ok(lateFirst >= 0, 'the late session was polled');
  assert.ok(
    late.slice(lateFirst).some((r) => isHomescreen(r.routeClass) && r.time === late[lateFirst]?.time),
    `its first poll read the inventory: ${JSON.stringify(late.map((r) => [r.routeClass, r.time - start]))}`,
  );

  // The rest of the health interval: every start-up session reads its inventory once within
  // it (plus a period), and no period carries a herd of them.
  await advance(clock, sim, polls, HEALTH - PERIOD + 5_000, 5_000);
  const firstRead = new Map<string, number>();
  for (const h of homescreens()) if (h.account !== lateAccount && !firstRead.has(h.account)) firstRead.set(h.account, h.at);
  const perPeriod = new Map<number, number>();
  for (const at of firstRead.values()) perPeriod.set(Math.floor(at / PERIOD), (perPeriod.get(Math.floor(at / PERIOD)) ?? 0) + 1);
  t.diagnostic(`homescreen reads per period: ${JSON.stringify([...perPeriod.entries()].sort((a, b) => a[0] - b[0]))}`);
  assert.equal(firstRead.size, N, 'every start-up session read its inventory within the health interval + a period');
  assert.ok(Math.max(...perPeriod.values()) <= 2 * perPeriodMean + 5, 'no period has a herd of inventory reads');
});
