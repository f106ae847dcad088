/**
 * How the alert pipeline reaches Blink clients: by session id. `alertSessionsFrom` adapts
 * the shared session manager (core/session-manager.ts) to it.
 */
import type { BlinkAccount } from '../blink/types.js';

export interface AlertSessions {
  /** The Blink client of a linked session. Throws (e.g. SealError) when its tokens are unusable. */
  accountFor(sessionId: string): BlinkAccount;
  /** Stops using the session until its owner logs in again. */
  markNeedsLogin(sessionId: string): void;
}

export function alertSessionsFrom(manager: { accountForSessionId(sessionId: string): BlinkAccount; markNeedsLogin(sessionId: string): void }): AlertSessions {
  return {
    accountFor: (sessionId) => manager.accountForSessionId(sessionId),
    markNeedsLogin: (sessionId) => manager.markNeedsLogin(sessionId),
  };
}
