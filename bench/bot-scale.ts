/**
 * Bot side of the scale benchmark (its own process): N linked accounts, the real alert
 * service polling them at a scaled-down period, measuring its own CPU per poll cycle, RSS,
 * event-loop delay, and when every session was polled.
 */
import { buildBot, overriding } from './lib/bot.js';
import { configArg, report, sleep, startProbe } from './lib/probe.js';
import { simControl, threeCameraSeed } from './lib/sim-control.js';

interface Config {
  simUrl: string;
  accounts: number;
  periodMs: number;
  cycles: number;
  /** Production-equivalent global Blink request cap, req/s (scaled by 60 s / period here). */
  globalPerSecond: number;
  maxConcurrentPolls?: number;
}

const cfg = configArg<Config>();
const sim = simControl(cfg.simUrl);
const scale = 60_000 / cfg.periodMs;
const polls = new Map<string, number[]>();
const checkMs: number[] = [];
const bot = buildBot({
  simUrl: cfg.simUrl,
  pollIntervalMs: cfg.periodMs,
  // The bot's clock runs k times faster: period, health interval and limiter gaps scale
  // together, so the run is the production minute compressed, not a different workload.
  limits: { globalPerSecond: cfg.globalPerSecond * scale, perAccountMinTimeMs: 250 / scale },
  alerts: {
    healthEveryMs: cfg.periodMs * 10,
    ...(cfg.maxConcurrentPolls !== undefined ? { maxConcurrentPolls: cfg.maxConcurrentPolls } : {}),
  },
  wrapSessions: (inner) => ({
    accountFor(id) {
      const list = polls.get(id) ?? [];
      polls.set(id, list);
      const startedAt = Date.now();
      list.push(startedAt);
      const account = inner.accountFor(id);
      // Time the change check itself: queueing in the limiters plus the simulator's answer.
      return overriding(account, {
        async changesSince(w, o) {
          const t = performance.now();
          try {
            return await account.changesSince(w, o);
          } finally {
            checkMs.push(performance.now() - t);
          }
        },
      });
    },
    markNeedsLogin: (id) => inner.markNeedsLogin(id),
  }),
});

// Accounts at the simulator, 32 at a time, then their sealed sessions in one transaction.
const setupStart = Date.now();
const made: { accountId: number; tier: string; accessToken: string; refreshToken: string; expiresIn: number }[] = [];
let next = 0;
await Promise.all(
  Array.from({ length: 32 }, async () => {
    while (next < cfg.accounts) {
      const n = next++;
      const added = await sim.post<{ accountId: number }>('addAccount', { ...threeCameraSeed(n), email: `scale${n}@example.com` });
      const t = await sim.post<{ accessToken: string; refreshToken: string; expiresIn: number }>('issueTokens', { accountId: added.accountId });
      made.push({ accountId: added.accountId, tier: 'u011', ...t });
    }
  }),
);
bot.db.transaction(() => {
  for (const [i, a] of made.entries()) bot.addSession(`tg:${100_000 + i}`, a);
})();
const setupMs = Date.now() - setupStart;
made.length = 0;
global.gc?.();

const controller = new AbortController();
await sim.resetCounts();
const start = Date.now();
bot.alerts.start(controller.signal);
// First cycle: first polls spread over one period, each with its inventory read (health).
const firstCycle = startProbe();
await sleep(cfg.periodMs);
const first = firstCycle.stop();
const firstCounts = await sim.counts();
await sim.resetCounts();
const windowStart = Date.now();
// Each steady cycle measured on its own: CPU, RSS peak, event-loop delay, Blink requests.
const cycles = [];
for (let c = 0; c < cfg.cycles; c++) {
  const probe = startProbe();
  await sleep(cfg.periodMs);
  const counts = await sim.counts();
  await sim.resetCounts();
  cycles.push({ ...probe.stop(), simRequests: counts.total });
}
const windowEnd = Date.now();
if (process.env.BENCH_HEAP_SNAPSHOT) {
  global.gc?.();
  (await import('node:v8')).writeHeapSnapshot(process.env.BENCH_HEAP_SNAPSHOT);
}
controller.abort();
await bot.alerts.stop(2000);

// Timeliness: every gap between two polls of one session, as a fraction of the period.
const gaps: number[] = [];
let late = 0;
let early = 0;
let missed = 0;
const firstPhase: number[] = [];
for (const times of polls.values()) {
  firstPhase.push(((times[0] ?? start) - start) / cfg.periodMs);
  for (let i = 1; i < times.length; i++) {
    if ((times[i] ?? 0) < windowStart) continue; // the first cycle is reported on its own
    const g = ((times[i] ?? 0) - (times[i - 1] ?? 0)) / cfg.periodMs;
    gaps.push(g);
    if (g > 1.1) late++;
    if (g < 0.9) early++;
  }
  const inWindow = times.filter((t) => t >= windowStart && t < windowEnd).length;
  if (inWindow < cfg.cycles - 1) missed++;
}
missed += cfg.accounts - polls.size;
gaps.sort((a, b) => a - b);
const q = (p: number): number => gaps[Math.min(gaps.length - 1, Math.floor(p * gaps.length))] ?? Number.NaN;
firstPhase.sort((a, b) => a - b);
const stats = bot.alerts.stats();
checkMs.sort((a, b) => a - b);
const cq = (p: number): number => checkMs[Math.min(checkMs.length - 1, Math.floor(p * checkMs.length))] ?? Number.NaN;
report({
  changeCheckMs: { p50: cq(0.5), p99: cq(0.99), max: checkMs[checkMs.length - 1] },
  accounts: cfg.accounts,
  scale,
  limits: { globalPerSecond: cfg.globalPerSecond, maxConcurrentPolls: cfg.maxConcurrentPolls ?? 16 },
  periodMs: cfg.periodMs,
  cycleCount: cfg.cycles,
  setupMs,
  firstCycle: { ...first, simRequests: firstCounts.total },
  cycles,
  pollFailures: stats.pollFailures,
  polls: stats.polls,
  timeliness: {
    gaps: gaps.length,
    gapMin: gaps[0],
    gapP01: q(0.01),
    gapMedian: q(0.5),
    gapP99: q(0.99),
    gapMax: gaps[gaps.length - 1],
    late,
    early,
    missed,
    firstPhaseMin: firstPhase[0],
    firstPhaseMax: firstPhase[firstPhase.length - 1],
  },
});
await bot.close();
process.exit(0);
