/**
 * Who may send to Blink when. The global request budget is one Bottleneck: grants at least
 * 1000 / rate ms apart (`minTime`) and a reservoir of rate × 100 ms starts (counted by grant
 * weight, global-budget.ts) refilled one window after the last refill (a timer here), grants ordered by priority (user commands, then alerts, then
 * background reads), and the global slow-down after 429s (F3) applied as a lower rate. The
 * reservoir is what makes priorities work: without one, Bottleneck books a start time for
 * every job on arrival and a user command waits behind every poll already booked; with it,
 * jobs beyond the current window wait in Bottleneck's priority queues. (Bottleneck's own
 * reservoir refresh stops for good at the first `updateSettings`, hence our timer.) In
 * front of it, one light ordering queue per Blink account (account-queue.ts: serial, min gap,
 * same priorities), because a Bottleneck per account does not carry 10,000 accounts
 * (docs/performance-scaling.md). Per-account pauses (F4) are kept here too; idle queues and
 * ended pauses are swept.
 */
import Bottleneck from 'bottleneck';
import type { Clock } from '../clock.js';
import { AccountQueue } from './account-queue.js';
import { createGlobalBudget } from './global-budget.js';
import { createGlobalRatePolicy } from './global-rate.js';
import type { ResolvedLimits } from './http-options.js';
import type { BlinkLogger } from './http-types.js';
import type { RequestPriority } from './types.js';

export interface LimiterDeps {
  clock: Clock;
  log: BlinkLogger;
  limits: ResolvedLimits;
  /**
   * The Bottleneck carrying the global budget (`maxConcurrent: null`, `minTime` and
   * `reservoir` as `globalSettings` gives). Default: a local one. Several processes sharing
   * one budget would pass a clustered (Redis) Bottleneck (docs/performance-scaling.md).
   */
  global?: Bottleneck | undefined;
}

/** The reservoir's refill delay, ms: short enough that a queued user command waits little. */
const WINDOW_MS = 100;

/** Bottleneck settings for `perSecond`: the gap, the reservoir and its refill delay. */
export function globalSettings(perSecond: number): { minTime: number; reservoir: number; everyMs: number } {
  const reservoir = Math.max(1, Math.round((perSecond * WINDOW_MS) / 1000));
  return { minTime: Math.floor(1000 / perSecond), reservoir, everyMs: Math.round((reservoir * 1000) / perSecond) };
}

export function createBlinkLimiters({ clock, log, limits, global: injected }: LimiterDeps) {
  let settings = globalSettings(limits.globalPerSecond);
  const global = injected ?? new Bottleneck({ maxConcurrent: null, minTime: settings.minTime, reservoir: settings.reservoir });
  /** Refills the reservoir one window after the last refill while grants wait or it ran out. */
  let refill: NodeJS.Timeout | undefined;
  /** The window runs from the last refill, not from the depletion (else the rate halves under load). */
  let refilledAt = performance.now();
  const armRefill = (): void => {
    refill ??= setTimeout(
      () => {
        refill = undefined;
        refilledAt = performance.now();
        // A grant asked before a slow-down may be heavier than the new reservoir: let it through whole.
        const reservoir = Math.max(settings.reservoir, budget.heaviest());
        global.updateSettings({ reservoir });
        budget.refilled(reservoir);
        if (budget.waiting() > 0) armRefill();
      },
      Math.max(0, refilledAt + settings.everyMs - performance.now()),
    );
  };
  const budget = createGlobalBudget(global, () => settings, armRefill);
  global.on('depleted', armRefill);
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
    settings = globalSettings(rate);
    global.updateSettings({ minTime: settings.minTime, reservoir: settings.reservoir });
    budget.refilled(settings.reservoir);
  }
  const accounts = new Map<string, AccountQueue>();
  const pauses = new Map<string, number>();
  let lastSweep = clock.now();

  function sweep(now: number): void {
    lastSweep = now;
    for (const [key, queue] of accounts) if (queue.idle() && now - queue.lastUsed >= limits.idleReleaseMs) accounts.delete(key);
    for (const [key, until] of pauses) if (until <= now) pauses.delete(key);
  }

  return {
    /** Runs `job` through the account's ordering queue (if any) and the global Bottleneck. */
    limited<T>(account: string, priority: RequestPriority | undefined, job: () => Promise<T>): Promise<T> {
      const now = clock.now();
      applyGlobalRate(globalRate.current());
      if (now - lastSweep >= limits.idleReleaseMs / 2) sweep(now);
      const level = priority ?? 'user';
      const viaGlobal = (): Promise<T> => budget.run(level, job);
      if (account === '') return viaGlobal();
      let queue = accounts.get(account);
      if (!queue) {
        queue = new AccountQueue(limits.perAccountConcurrency, limits.perAccountMinTimeMs);
        accounts.set(account, queue);
      }
      queue.lastUsed = now;
      return queue.run(priority, viaGlobal);
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
      clearTimeout(refill);
      refill = undefined;
      budget.clear();
      accounts.clear();
    },
  };
}

export type BlinkLimiters = ReturnType<typeof createBlinkLimiters>;
