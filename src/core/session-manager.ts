/**
 * Blink sessions as the bot holds them: sealed tokens in SQLite, one BlinkAccount client per
 * session in memory. Shared by the command core and the alerts poller, so apart from
 * `forChat` it knows nothing of chats.
 */
import { z } from 'zod';
import type { BlinkAccount, BlinkService, BlinkSessionData, SessionStore } from '../blink/types.js';
import type { Clock } from '../clock.js';
import { SealError, UserError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Caller, ChatContext } from './inbound.js';
import { sessionAad, type CoreStore, type SessionRecord } from './store.js';
import { SESSION_EXPIRED_TEXT } from './user-error.js';

/** Seals secrets at rest (src/secrets). `open` throws SealError for a wrong key or a tampered blob. */
export interface Sealer {
  seal(plaintext: string, aad: string): string;
  open(blob: string, aad: string): string;
}

const SessionData = z.object({
  accountId: z.string(),
  tier: z.string(),
  hardwareId: z.string(),
  accessToken: z.string(),
  refreshToken: z.string(),
  accessExpiresAt: z.number(),
  clientId: z.string().optional(),
  userId: z.string().optional(),
  email: z.string().optional(),
});

export interface SessionManager {
  /** The Blink client for a stored session, created once per session id. Throws SealError (after marking needs-login). */
  accountForSession(session: SessionRecord): BlinkAccount;
  /** The session a chat uses (private: the caller's own; group: the linker's), or undefined. */
  sessionForChat(chat: ChatContext, caller: Caller): SessionRecord | undefined;
  /** As `sessionForChat` plus its client; throws UserError when the session needs a new login. */
  accountForChat(chat: ChatContext, caller: Caller): { session: SessionRecord; account: BlinkAccount } | undefined;
  /** Stores a fresh login sealed (replacing the owner's older tokens) and drops any old client. */
  saveLogin(ownerId: string, data: BlinkSessionData): SessionRecord;
  /** Stops using a session until its owner logs in again; releases the Blink client. */
  markNeedsLogin(sessionId: string): void;
  /** Deletes the session and its links; releases the Blink client. */
  remove(sessionId: string): void;
}

export interface SessionManagerDeps {
  store: CoreStore;
  sealer: Sealer;
  blink: BlinkService;
  clock: Clock;
  log: Logger;
}

export function createSessionManager(deps: SessionManagerDeps): SessionManager {
  const { store, sealer, blink, clock, log } = deps;
  const clients = new Map<string, { account: BlinkAccount; accountId: string }>();

  const release = (sessionId: string): void => {
    const held = clients.get(sessionId);
    if (!held) return;
    clients.delete(sessionId);
    blink.release(held.accountId);
  };

  const openTokens = (session: SessionRecord): BlinkSessionData => {
    let plain: string;
    try {
      plain = sealer.open(session.sealedTokens, sessionAad(session.ownerId));
    } catch (error) {
      throw error instanceof SealError ? error : new SealError('stored tokens could not be opened', { cause: error });
    }
    let json: unknown;
    try {
      json = JSON.parse(plain);
    } catch (error) {
      throw new SealError('stored tokens are not JSON', { cause: error });
    }
    const parsed = SessionData.safeParse(json);
    if (!parsed.success) throw new SealError('stored tokens have an unexpected shape');
    return parsed.data;
  };

  const manager: SessionManager = {
    accountForSession(session) {
      const held = clients.get(session.id);
      if (held) return held.account;
      let data: BlinkSessionData;
      try {
        data = openTokens(session);
      } catch (error) {
        // Only this session is affected; its owner is told to log in again.
        log.warn({ sessionId: session.id, err: error }, 'stored Blink tokens unusable; session needs login');
        manager.markNeedsLogin(session.id);
        throw error;
      }
      const tokenStore: SessionStore = {
        save(rotated) {
          // One UPDATE: the row never holds a half-written token pair.
          store.sessions.updateTokens(session.id, sealer.seal(JSON.stringify(rotated), sessionAad(session.ownerId)), clock.now());
        },
      };
      const account = blink.account(data, tokenStore);
      clients.set(session.id, { account, accountId: data.accountId });
      return account;
    },
    sessionForChat(chat, caller) {
      if (chat.kind === 'private') return store.sessions.byOwner(caller.id);
      const link = store.links.get(chat.id);
      return link ? store.sessions.byId(link.sessionId) : undefined;
    },
    accountForChat(chat, caller) {
      const session = manager.sessionForChat(chat, caller);
      if (!session) return undefined;
      if (session.needsLogin) throw new UserError('needs_login', SESSION_EXPIRED_TEXT);
      return { session, account: manager.accountForSession(session) };
    },
    saveLogin(ownerId, data) {
      const sealedTokens = sealer.seal(JSON.stringify(data), sessionAad(ownerId));
      const session = store.sessions.saveForOwner({ ownerId, accountId: data.accountId, sealedTokens, atMs: clock.now() });
      release(session.id);
      return session;
    },
    markNeedsLogin(sessionId) {
      store.sessions.setNeedsLogin(sessionId, true);
      release(sessionId);
    },
    remove(sessionId) {
      release(sessionId);
      store.sessions.delete(sessionId);
    },
  };
  return manager;
}
