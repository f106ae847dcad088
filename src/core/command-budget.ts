/**
 * A command budget per Blink session (token bucket): everyone in a linked group shares the
 * owner's account, and a burst of commands could push it into a long 429 pause from Blink
 * that would also delay its motion alerts. Past the budget a command is refused before any
 * Blink call, with the wait. See docs/security.md, "Bounded by design".
 */
import type { Clock } from '../clock.js';
import { createBoundedMap } from './bounded-map.js';

export interface CommandBudget {
  /** Takes one command from the session's budget; returns 0, or the ms until one is free. */
  take(sessionId: string): number;
}

export function createCommandBudget(options: { clock: Pick<Clock, 'now'>; burst?: number; refillMs?: number }): CommandBudget {
  // 60 at once, then one a second: far beyond people at a keyboard, well below a flood.
  const burst = options.burst ?? 60;
  const refillMs = options.refillMs ?? 1_000;
  const buckets = createBoundedMap<string, { tokens: number; at: number }>({ clock: options.clock, maxEntries: 10_000, ttlMs: burst * refillMs });
  return {
    take(sessionId) {
      const now = options.clock.now();
      const held = buckets.get(sessionId) ?? { tokens: burst, at: now };
      const tokens = Math.min(burst, held.tokens + (now - held.at) / refillMs);
      if (tokens < 1) {
        buckets.set(sessionId, { tokens, at: now });
        return Math.ceil((1 - tokens) * refillMs);
      }
      buckets.set(sessionId, { tokens: tokens - 1, at: now });
      return 0;
    },
  };
}
