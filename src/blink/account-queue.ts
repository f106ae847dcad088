/**
 * The per-account ordering queue: at most `concurrency` requests of one Blink account at a
 * time, starts at least `minGapMs` apart, higher priorities first (user, then alert, then
 * background; FIFO within one). The global request budget is Bottleneck (http-limiters.ts);
 * this queue stays hand-written because a Bottleneck per account was measured too costly at
 * 10,000 accounts: ~5.5 KB of heap each and a second Bottleneck hop per request (numbers in
 * docs/performance-scaling.md). A queue is a few fields; the gap uses the monotonic clock
 * (as Bottleneck does), never the injected one.
 */
import type { RequestPriority } from './types.js';

type Start = () => void;

/** Queue index per priority: lower goes first. */
const RANK: Record<RequestPriority, number> = { user: 0, alert: 1, background: 2 };

export class AccountQueue {
  private active = 0;
  private lastStartAt = Number.NEGATIVE_INFINITY;
  /** One FIFO per rank, made on first use (most accounts only ever queue background polls). */
  private readonly queues: (Start[] | undefined)[] = [undefined, undefined, undefined];
  private timer: NodeJS.Timeout | undefined;
  /** Last use (injected clock, ms): idle queues are dropped after a while. */
  lastUsed = 0;

  constructor(
    private readonly concurrency: number,
    private readonly minGapMs: number,
  ) {}

  /** Nothing queued, nothing running, no gap timer pending. */
  idle(): boolean {
    return this.active === 0 && this.timer === undefined && this.next() === undefined;
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
      const rank = RANK[priority ?? 'user'];
      this.queues[rank] ??= [];
      this.queues[rank].push(start);
      this.pump();
    });
  }

  private next(): Start[] | undefined {
    for (const queue of this.queues) if (queue?.length) return queue;
    return undefined;
  }

  private pump(): void {
    while (this.active < this.concurrency) {
      const queue = this.next();
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
