/**
 * Who may send to Blink when: one small gate per Blink account (account-gate.ts: serial, min
 * gap, user before background) in front of one global gate (min gap 1000 / rate), the global
 * slow-down after 429s (F3) and per-account pauses (F4). Idle gates and ended pauses are swept.
 */
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
}

export function createBlinkLimiters({ clock, log, limits }: LimiterDeps) {
  const minTimeFor = (perSecond: number): number => Math.floor(1000 / perSecond);
  const global = new AccountGate(Number.POSITIVE_INFINITY, minTimeFor(limits.globalPerSecond));
  const globalRate = createGlobalRatePolicy(clock, {
    basePerSecond: limits.globalPerSecond,
    floorPerSecond: limits.slowdownFloorPerSecond,
    windowMs: limits.slowdownWindowMs,
    minAccounts: limits.slowdownMinAccounts,
    quietMs: limits.slowdownQuietMs,
  });
  let appliedRate = limits.globalPerSecond;
  /** Brings the global limiter's gap in line with the policy (cheap when unchanged). */
  function applyGlobalRate(rate: number): void {
    if (rate === appliedRate) return;
    log.warn({ fromPerSecond: appliedRate, toPerSecond: rate }, 'blink global rate changed');
    appliedRate = rate;
    global.setMinGap(minTimeFor(rate));
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
    /** Runs `job` through the account's gate (if any) and the global limiter. */
    limited<T>(account: string, priority: RequestPriority | undefined, job: () => Promise<T>): Promise<T> {
      const now = clock.now();
      applyGlobalRate(globalRate.current());
      if (now - lastSweep >= limits.idleReleaseMs / 2) sweep(now);
      const viaGlobal = (): Promise<T> => global.run(priority, job);
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
