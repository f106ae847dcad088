/**
 * A Map with a size cap and an age limit, for every in-memory table that outsiders can grow
 * (button presses, refusal times, caches): the oldest entry goes first when full, and an
 * entry older than `ttlMs` is gone. Insertion order is age order (a `set` re-inserts), so
 * eviction only ever looks at the front. See docs/security.md, "Bounded by design".
 */
import type { Clock } from '../clock.js';

export interface BoundedMap<K, V> {
  get(key: K): V | undefined;
  has(key: K): boolean;
  set(key: K, value: V): void;
  delete(key: K): boolean;
  size(): number;
}

export function createBoundedMap<K, V>(options: { clock: Pick<Clock, 'now'>; maxEntries: number; ttlMs: number }): BoundedMap<K, V> {
  const entries = new Map<K, { value: V; at: number }>();
  const fresh = (at: number): boolean => options.clock.now() - at < options.ttlMs;
  const prune = (): void => {
    for (const [key, entry] of entries) {
      if (entries.size <= options.maxEntries && fresh(entry.at)) break;
      entries.delete(key);
    }
  };
  const map: BoundedMap<K, V> = {
    get(key) {
      const entry = entries.get(key);
      if (entry === undefined) return undefined;
      if (fresh(entry.at)) return entry.value;
      entries.delete(key);
      return undefined;
    },
    has: (key) => map.get(key) !== undefined,
    set(key, value) {
      entries.delete(key);
      entries.set(key, { value, at: options.clock.now() });
      prune();
    },
    delete: (key) => entries.delete(key),
    size() {
      prune();
      return entries.size;
    },
  };
  return map;
}
