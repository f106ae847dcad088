/**
 * How the alert pipeline reaches Blink clients: by session id. `alertSessionsFrom` adapts
 * the shared session manager (core/session-manager.ts) and the core store to it.
 */
import type { BlinkAccount } from '../blink/types.js';

export interface AlertSessions {
  /** The Blink client of a linked session. Throws (e.g. SealError) when its tokens are unusable. */
  accountFor(sessionId: string): BlinkAccount;
  /** Stops using the session until its owner logs in again. */
  markNeedsLogin(sessionId: string): void;
}

export function alertSessionsFrom<R>(
  manager: { accountForSession(session: R): BlinkAccount; markNeedsLogin(sessionId: string): void },
  records: { byId(id: string): R | undefined },
): AlertSessions {
  return {
    accountFor(sessionId) {
      const record = records.byId(sessionId);
      if (!record) throw new Error(`session ${sessionId} no longer exists`);
      return manager.accountForSession(record);
    },
    markNeedsLogin: (sessionId) => manager.markNeedsLogin(sessionId),
  };
}
