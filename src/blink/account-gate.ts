/**
 * The per-account limiter: at most `concurrency` requests of one Blink account at a time,
 * starts at least `minGapMs` apart, user requests before background ones (FIFO within a
 * priority). Hand-written instead of one Bottleneck per account (the global limiter is
 * still Bottleneck): a Bottleneck is ~5.5 KB of heap and every job yields to the event
 * loop through several zero-length timers, which at 10,000 accounts was the largest CPU
 * item of a poll and 55 MB of heap (bench/README "Performance"). A gate is a few fields;
 * the gap uses the monotonic clock (as Bottleneck did), never the injected one.
 * The global limiter is a gate too (concurrency unbounded, gap 1000 / rate): with only the
 * global Bottleneck left, Bottleneck was still 15.6 % of the bot's busy CPU and drove much
 * of the 18 % spent in GC (2,000 accounts, --cpu-prof, steady cycles).
 */
import type { RequestPriority } from './types.js';

type Start = () => void;

export class AccountGate {
  private active = 0;
  private lastStartAt = Number.NEGATIVE_INFINITY;
  private user: Start[] | undefined;
  private background: Start[] | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Last use (injected clock, ms): idle gates are dropped after a while. */
  lastUsed = 0;

  constructor(
    private readonly concurrency: number,
    private minGapMs: number,
  ) {}

  /** A new gap between starts (global slow-down, F3); queued requests follow it at once. */
  setMinGap(ms: number): void {
    this.minGapMs = ms;
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.pump();
    }
  }

  /** Nothing queued, nothing running, no gap timer pending. */
  idle(): boolean {
    return this.active === 0 && this.timer === undefined && !this.user?.length && !this.background?.length;
  }

  run<T>(priority: RequestPriority | undefined, job: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const start: Start = () => {
        let p: Promise<T>;
        try {
          p = job();
        } catch (error) {
          p = Promise.reject(error);
        }
        p.then(resolve, reject).finally(() => {
          this.active--;
          this.pump();
        });
      };
      if (priority === 'background') (this.background ??= []).push(start);
      else (this.user ??= []).push(start);
      this.pump();
    });
  }

  private pump(): void {
    while (this.active < this.concurrency) {
      const queue = this.user?.length ? this.user : this.background?.length ? this.background : undefined;
      if (!queue) return;
      const now = performance.now();
      const wait = this.lastStartAt + this.minGapMs - now;
      if (wait > 0) {
        this.timer ??= setTimeout(() => {
          this.timer = undefined;
          this.pump();
        }, Math.ceil(wait));
        return;
      }
      const start = queue.shift();
      if (!start) return;
      this.active++;
      this.lastStartAt = now;
      start();
    }
  }
}
