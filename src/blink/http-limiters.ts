/**
 * Who may send to Blink when. The global request budget is one Bottleneck: a minimum gap of
 * 1000 / rate ms between any two starts, jobs ordered by priority (user commands, then
 * alerts, then background reads), and the global slow-down after 429s (F3) applied as a new
 * `minTime`. Bottleneck hands out start permits: `maxConcurrent: 1` over a job that ends as
 * it starts, so waiting requests stay in Bottleneck's priority queues. (With unbounded
 * concurrency Bottleneck books a start time for every job on arrival, and a user command
 * would wait behind every poll already booked.) In front of it, one light ordering gate per Blink account (account-gate.ts:
 * serial, min gap, same priorities), because a Bottleneck per account does not carry
 * 10,000 accounts (docs/performance-scaling.md). Per-account pauses (F4) are checked here
 * too. Idle gates and ended pauses are swept.
 */
import Bottleneck from 'bottleneck';
import type { Clock } from '../clock.js';
import { AccountGate } from './account-gate.js';
import { createGlobalRatePolicy } from './global-rate.js';
import type { ResolvedLimits } from './http-options.js';
import type { BlinkLogger } from './http-types.js';
import type { RequestPriority } from './types.js';

export interface LimiterDeps {
  clock: Clock;
  log: BlinkLogger;
  limits: ResolvedLimits;
  /**
   * The Bottleneck carrying the global budget: `maxConcurrent: 1` (permits, see above) and
   * `minTime` from `limits.globalPerSecond`. Default: a local one. Several processes sharing one budget would pass a clustered
   * (Redis) Bottleneck here (docs/performance-scaling.md).
   */
  global?: Bottleneck | undefined;
}

/** Bottleneck priorities (0 first, 9 last; its default is 5). */
export const BOTTLENECK_PRIORITY: Record<RequestPriority, number> = { user: 1, alert: 4, background: 7 };

/** A start permit: the job ends as it starts (the request runs after it, outside Bottleneck). */
const permit = (): Promise<void> => Promise.resolve();

/** The gap between two starts for a rate in requests per second. */
export const minTimeFor = (perSecond: number): number => Math.floor(1000 / perSecond);

export function createBlinkLimiters({ clock, log, limits, global: injected }: LimiterDeps) {
  const global = injected ?? new Bottleneck({ maxConcurrent: 1, minTime: minTimeFor(limits.globalPerSecond) });
  const globalRate = createGlobalRatePolicy(clock, {
    basePerSecond: limits.globalPerSecond,
    floorPerSecond: limits.slowdownFloorPerSecond,
    windowMs: limits.slowdownWindowMs,
    minAccounts: limits.slowdownMinAccounts,
    quietMs: limits.slowdownQuietMs,
  });
  let appliedRate = limits.globalPerSecond;
  /** Brings Bottleneck's gap in line with the policy (nothing to do when unchanged). */
  function applyGlobalRate(rate: number): void {
    if (rate === appliedRate) return;
    log.warn({ fromPerSecond: appliedRate, toPerSecond: rate }, 'blink global rate changed');
    appliedRate = rate;
    // Bottleneck applies new settings to the jobs already queued as well.
    global.updateSettings({ minTime: minTimeFor(rate) });
  }
  const accounts = new Map<string, AccountGate>();
  const pauses = new Map<string, number>();
  let lastSweep = clock.now();

  function sweep(now: number): void {
    lastSweep = now;
    for (const [key, gate] of accounts) if (gate.idle() && now - gate.lastUsed >= limits.idleReleaseMs) accounts.delete(key);
    for (const [key, until] of pauses) if (until <= now) pauses.delete(key);
  }

  return {
    /** Runs `job` through the account's gate (if any) and the global Bottleneck. */
    limited<T>(account: string, priority: RequestPriority | undefined, job: () => Promise<T>): Promise<T> {
      const now = clock.now();
      applyGlobalRate(globalRate.current());
      if (now - lastSweep >= limits.idleReleaseMs / 2) sweep(now);
      const options = { priority: BOTTLENECK_PRIORITY[priority ?? 'user'] };
      const viaGlobal = (): Promise<T> => global.schedule(options, permit).then(job);
      if (account === '') return viaGlobal();
      let gate = accounts.get(account);
      if (!gate) {
        gate = new AccountGate(limits.perAccountConcurrency, limits.perAccountMinTimeMs);
        accounts.set(account, gate);
      }
      gate.lastUsed = now;
      return gate.run(priority, viaGlobal);
    },
    pausedForMs(account: string): number {
      const until = pauses.get(account);
      return until === undefined ? 0 : Math.max(0, until - clock.now());
    },
    /** Stops requests for `account` until `ms` from now (never shortens a longer pause). */
    pause(account: string, ms: number): void {
      const until = clock.now() + ms;
      if ((pauses.get(account) ?? 0) < until) pauses.set(account, until);
      log.warn({ account, pauseMs: ms }, 'blink account paused');
    },
    /** Feeds a 429 of `account` to the global slow-down policy (F3). */
    onRateLimited(account: string): void {
      applyGlobalRate(globalRate.onRateLimited(account));
    },
    release(account: string): void {
      accounts.delete(account);
      pauses.delete(account);
    },
    count: (): number => accounts.size,
    globalPerSecondNow: (): number => globalRate.current(),
    clear(): void {
      accounts.clear();
    },
  };
}

export type BlinkLimiters = ReturnType<typeof createBlinkLimiters>;
