/**
 * The bot's own alert latency: from changesSince returning to the chat sender opening the
 * clip stream, and to its first byte. Wall time (performance.now()), not the injected
 * clock, because it measures our code. Bounded memory: at most `max` clips tracked.
 */
export interface LatencySample {
  /** Until ChatSender.send was called with the alert (the bot's own work). */
  sendMs?: number;
  /** Until the clip stream was open (includes Blink's answer to the download request). */
  openMs: number;
  firstByteMs?: number;
}

export function createAlertLatency(max = 1000) {
  const queuedAt = new Map<string, number>();
  const sendAt = new Map<string, number>();
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
    sending(key: string): void {
      const at = queuedAt.get(key);
      if (at === undefined || sendAt.has(key)) return;
      bound(sendAt);
      sendAt.set(key, performance.now() - at);
    },
    opened(key: string): void {
      const at = queuedAt.get(key);
      if (at === undefined) return;
      queuedAt.delete(key);
      const sendMs = sendAt.get(key);
      sendAt.delete(key);
      const sample: LatencySample = { openMs: performance.now() - at, ...(sendMs !== undefined ? { sendMs } : {}) };
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
