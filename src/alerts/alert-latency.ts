/**
 * The bot's own alert latency: from changesSince returning to the chat sender opening the
 * clip stream, and to its first byte. Wall time (performance.now()), not the injected
 * clock, because it measures our code. Bounded memory: at most `max` clips tracked.
 */
export interface LatencySample {
  openMs: number;
  firstByteMs?: number;
}

export function createAlertLatency(max = 1000) {
  const queuedAt = new Map<string, number>();
  const opened = new Map<string, { at: number; sample: LatencySample }>();
  const samples: LatencySample[] = [];
  const bound = (map: Map<string, unknown>): void => {
    const oldest = map.size >= max ? map.keys().next().value : undefined;
    if (oldest !== undefined) map.delete(oldest);
  };
  return {
    queued(key: string, at: number): void {
      bound(queuedAt);
      queuedAt.set(key, at);
    },
    opened(key: string): void {
      const at = queuedAt.get(key);
      if (at === undefined) return;
      queuedAt.delete(key);
      const sample: LatencySample = { openMs: performance.now() - at };
      samples.push(sample);
      if (samples.length > max) samples.shift();
      bound(opened);
      opened.set(key, { at, sample });
    },
    firstByte(key: string): void {
      const entry = opened.get(key);
      if (!entry) return;
      opened.delete(key);
      entry.sample.firstByteMs = performance.now() - entry.at;
    },
    samples(): readonly LatencySample[] {
      return samples;
    },
  };
}

export type AlertLatency = ReturnType<typeof createAlertLatency>;
