// Waiting on the fake's state without polling: re-check on every recorded change.
import type { FakeState } from './state.js';

export function waitFor<T>(state: FakeState, check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const first = check();
  if (first !== undefined) return Promise.resolve(first);
  return new Promise<T>((resolve, reject) => {
    const onChange = (): void => {
      const value = check();
      if (value === undefined) return;
      cleanup();
      resolve(value);
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`fake-discord: timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const cleanup = (): void => {
      clearTimeout(timer);
      state.changes.off('change', onChange);
    };
    state.changes.on('change', onChange);
  });
}
