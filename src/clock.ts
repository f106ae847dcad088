/** Time source, injected everywhere so tests run fast and deterministically. */
export interface Clock {
  /** Epoch milliseconds, UTC. */
  now(): number;
  /** Resolves after `ms`, or rejects with the signal's reason when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** What `waitAtMost` saw: the work's value, or that the time ran out first. */
export type WaitOutcome<T> = { settled: true; value: T } | { settled: false };

/**
 * Waits for `work` at most `ms` on `clock`, and leaves no timer or listener behind. A
 * rejection of `work` within the time rejects; after it, the caller no longer hears of it
 * (it is caught here so it is never unhandled). The one way to bound a wait in src/.
 */
export async function waitAtMost<T>(clock: Clock, ms: number, work: Promise<T>): Promise<WaitOutcome<T>> {
  const timer = new AbortController();
  const late = clock.sleep(ms, timer.signal).then(
    (): WaitOutcome<T> => ({ settled: false }),
    (): WaitOutcome<T> => ({ settled: false }),
  );
  work.catch(() => undefined);
  try {
    return await Promise.race([work.then((value): WaitOutcome<T> => ({ settled: true, value })), late]);
  } finally {
    timer.abort();
  }
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      const timer = setTimeout(
        () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        Math.max(0, ms),
      );
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/**
 * Resolves once `done` settles or `ms` have passed, whichever is first; never rejects and
 * leaves no timer behind (a shutdown that waits for work in flight, but not forever).
 * `waitAtMost` for callers that only wait.
 */
export async function settleWithin(clock: Clock, done: Promise<unknown>, ms: number): Promise<void> {
  await waitAtMost(
    clock,
    ms,
    done.then(
      () => undefined,
      () => undefined,
    ),
  );
}

/**
 * A clock that only moves when told to. `sleep` resolves once `advance` passes its
 * deadline, so code that waits minutes runs in microseconds under test.
 */
export interface ManualClock extends Clock {
  advance(ms: number): Promise<void>;
  set(epochMs: number): void;
}

export function createManualClock(startMs = Date.UTC(2026, 5, 27, 12, 0, 0)): ManualClock {
  let current = startMs;
  const sleepers: { at: number; resolve: () => void }[] = [];
  const wake = (): void => {
    for (let i = sleepers.length - 1; i >= 0; i--) {
      const sleeper = sleepers[i];
      if (sleeper && sleeper.at <= current) {
        sleepers.splice(i, 1);
        sleeper.resolve();
      }
    }
  };
  return {
    now: () => current,
    set(epochMs) {
      current = epochMs;
      wake();
    },
    async advance(ms) {
      current += ms;
      wake();
      // Let woken continuations run before the caller looks at the result.
      await new Promise((r) => setImmediate(r));
    },
    sleep(ms, signal) {
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) {
          reject(signal.reason);
          return;
        }
        const onAbort = (): void => {
          const i = sleepers.indexOf(sleeper);
          if (i >= 0) sleepers.splice(i, 1);
          reject(signal?.reason);
        };
        // Woken sleepers drop their listener: a long-lived signal must not collect one per sleep.
        const sleeper = {
          at: current + Math.max(0, ms),
          resolve: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
        };
        sleepers.push(sleeper);
        signal?.addEventListener('abort', onAbort, { once: true });
        wake();
      });
    },
  };
}
