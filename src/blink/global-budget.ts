/**
 * The global request budget as Bottleneck grants: requests wait in one small FIFO per
 * priority here, and each Bottleneck job is a grant of `weight` starts for one priority
 * (at most one grant per priority waiting in Bottleneck at a time). Bottleneck still decides
 * every start: the reservoir counts starts by weight, `minTime` spaces the grants, and its
 * priority queues put a user command's grant before waiting alert and background grants.
 * Why: a Bottleneck job costs ~0.3 ms of CPU (locks behind zero-length timers, events,
 * promises); one job per request was 8 % of a core at 10,000 accounts. Background reads
 * collect for as long as a full grant's starts would take at the cap anyway, so a grant
 * carries several; user commands and alerts ask for a grant at once.
 * See docs/performance-scaling.md, "One Bottleneck for the global budget".
 */
import type Bottleneck from 'bottleneck';
import type { RequestPriority } from './types.js';

/** Bottleneck priorities (0 first, 9 last; its default is 5). */
const BOTTLENECK_PRIORITY: Record<RequestPriority, number> = { user: 1, alert: 4, background: 7 };

/** At most this many starts per grant (and never more than the reservoir holds). */
const MAX_GRANT = 8;

type Start = () => void;

interface Level {
  readonly priority: RequestPriority;
  readonly queue: Start[];
  /** A grant of this level is waiting in Bottleneck. */
  asked: boolean;
  /** The waiting grant's weight. */
  weight: number;
  collect: NodeJS.Timeout | undefined;
}

export interface GlobalBudget {
  run<T>(priority: RequestPriority, job: () => Promise<T>): Promise<T>;
  /** Grants waiting in Bottleneck (the reservoir refill runs while there are any). */
  waiting(): number;
  /** The heaviest grant waiting in Bottleneck (0 if none): a refill must let it through. */
  heaviest(): number;
  /** The reservoir was set to `n` starts. */
  refilled(n: number): void;
  clear(): void;
}

/**
 * `settings()` gives the current reservoir size and its window (ms); `onAsk` is called whenever a
 * grant goes to Bottleneck (the refill timer arms itself on it).
 */
export function createGlobalBudget(limiter: Bottleneck, settings: () => { reservoir: number; everyMs: number }, onAsk: () => void): GlobalBudget {
  const levels: Record<RequestPriority, Level> = {
    user: { priority: 'user', queue: [], asked: false, weight: 0, collect: undefined },
    alert: { priority: 'alert', queue: [], asked: false, weight: 0, collect: undefined },
    background: { priority: 'background', queue: [], asked: false, weight: 0, collect: undefined },
  };
  let waiting = 0;
  /**
   * Starts left in the current window as far as this side knows (reset at each refill):
   * a grant heavier than what the reservoir holds waits for the next refill and the rest of
   * the window goes unused, so grants are sized to fit (at 8 per grant and 25 per window
   * that waste took the rate below the 10,000-account demand). Bottleneck still enforces.
   */
  let left = settings().reservoir;

  function ask(level: Level): void {
    level.collect = undefined;
    if (level.asked || level.queue.length === 0) return;
    const reservoir = settings().reservoir;
    const weight = Math.max(1, Math.min(level.queue.length, MAX_GRANT, left > 0 ? left : reservoir));
    left = Math.max(0, left - weight);
    level.asked = true;
    level.weight = weight;
    waiting++;
    const grant = (): Promise<void> => {
      level.asked = false;
      level.weight = 0;
      waiting--;
      for (const start of level.queue.splice(0, weight)) start();
      if (level.queue.length > 0) ask(level);
      return Promise.resolve();
    };
    limiter.schedule({ priority: BOTTLENECK_PRIORITY[level.priority], weight }, grant).catch(() => {
      // Bottleneck stopped (shutdown): the queued requests would wait for ever; nothing to run.
    });
    onAsk();
  }

  function enqueue(level: Level, start: Start): void {
    level.queue.push(start);
    if (level.asked || level.collect) return;
    if (level.priority !== 'background') {
      ask(level);
      return;
    }
    const s = settings();
    // The cap's own gap (everyMs / reservoir), unrounded: minTime is floored to whole ms.
    const collectMs = ((Math.min(MAX_GRANT, s.reservoir) - 1) * s.everyMs) / s.reservoir;
    if (collectMs <= 0) {
      ask(level);
      return;
    }
    level.collect = setTimeout(() => ask(level), collectMs);
  }

  return {
    run<T>(priority: RequestPriority, job: () => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        enqueue(levels[priority], () => {
          let p: Promise<T>;
          try {
            p = job();
          } catch (error) {
            p = Promise.reject(error);
          }
          p.then(resolve, reject);
        });
      });
    },
    waiting: () => waiting,
    refilled(n: number): void {
      left = n;
    },
    heaviest: () => Math.max(levels.user.weight, levels.alert.weight, levels.background.weight),
    clear(): void {
      for (const level of Object.values(levels)) {
        clearTimeout(level.collect);
        level.collect = undefined;
      }
    },
  };
}
