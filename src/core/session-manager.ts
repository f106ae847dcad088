/**
 * Blink sessions as the bot holds them: sealed tokens in SQLite (AAD = owner id, see
 * migrations/001), one BlinkAccount client per session in memory. Shared by the command
 * core and the alerts poller, so apart from `sessionForChat` it knows nothing of chats.
 */
import { z } from 'zod';
import { newHardwareId } from '../blink/oauth.js';
import type { BlinkAccount, BlinkService, BlinkSessionData, SessionStore } from '../blink/types.js';
import type { Clock } from '../clock.js';
import type { BlinkSession, Repositories } from '../db/index.js';
import { SealError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Sealer } from '../secrets/index.js';
import type { Caller, ChatContext } from './inbound.js';
import { SESSION_EXPIRED_TEXT, UserError } from './user-error.js';

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
  /**
   * The Blink client for a stored session, created once per session id. Throws SealError
   * (after marking the session needs-login) when its tokens cannot be opened.
   */
  accountForSession(session: BlinkSession): BlinkAccount;
  /** As `accountForSession` by id: the held client without a database read, or the stored row's. Throws when the row is gone. */
  accountForSessionId(sessionId: string): BlinkAccount;
  /** The session a chat uses (private: the caller's own; group: the linker's), or undefined. */
  sessionForChat(chat: ChatContext, caller: Caller): BlinkSession | undefined;
  /** As `sessionForChat` plus its client; throws UserError when the session needs a new login. */
  accountForChat(chat: ChatContext, caller: Caller): { session: BlinkSession; account: BlinkAccount } | undefined;
  /** Stores a fresh login sealed (replacing the owner's older tokens in place) and drops any old client. */
  saveLogin(ownerId: string, data: BlinkSessionData, email: string): BlinkSession;
  /** The user's Blink hardware id (made and stored on first use): pass it to every login. */
  hardwareIdFor(ownerId: string): string;
  /** Stops using a session until its owner logs in again; releases the Blink client. */
  markNeedsLogin(sessionId: string): void;
  /** Deletes the session and its links; releases the Blink client. */
  remove(sessionId: string): void;
}

export interface SessionManagerDeps {
  repos: Repositories;
  sealer: Sealer;
  blink: BlinkService;
  clock: Clock;
  log: Logger;
  /**
   * Called after a login was stored. The alert poller takes its baseline right then, so a
   * clip recorded between the login and the next regular poll still counts as new (docs/chat-contract.md §5).
   */
  onLogin?: (sessionId: string) => void;
}

export function needsLogin(session: BlinkSession): boolean {
  return session.state === 'needs-login' || session.sealedTokens === null;
}

export function createSessionManager(deps: SessionManagerDeps): SessionManager {
  const { repos, sealer, blink, clock, log } = deps;
  const clients = new Map<string, { account: BlinkAccount; accountId: string }>();

  const release = (sessionId: string): void => {
    const held = clients.get(sessionId);
    if (!held) return;
    clients.delete(sessionId);
    blink.release(held.accountId);
  };

  const openTokens = (session: BlinkSession): BlinkSessionData => {
    if (session.sealedTokens === null) throw new SealError('the session holds no tokens');
    const plain = sealer.open(session.sealedTokens, session.ownerUserId);
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

  /**
   * Where rotated tokens go. Built from the id and owner only: the store lives as long as the
   * client, and holding the whole row would keep its sealed tokens in memory for every
   * linked session (docs/performance.md, "Many accounts").
   */
  const storeFor = (sessionId: string, owner: string): SessionStore => ({
    save(rotated) {
      // One UPDATE: the row never holds half of a token pair.
      repos.sessions.updateTokens(sessionId, sealer.seal(JSON.stringify(rotated), owner), rotated.accessExpiresAt, clock.now());
    },
  });

  const manager: SessionManager = {
    accountForSession(session) {
      const held = clients.get(session.id);
      if (held) return held.account;
      let data: BlinkSessionData;
      try {
        data = openTokens(session);
      } catch (error) {
        if (error instanceof SealError && error.wrongKey) {
          // The row is fine; the key is not the one that sealed it. Clearing the row would
          // lose the session for good, while restoring the right key brings it back.
          log.error({ sessionId: session.id, err: error }, 'stored Blink tokens were sealed with another key; session kept');
          throw error;
        }
        // Corrupt under the right key: only this session is affected; its owner is told to log in again.
        log.warn({ sessionId: session.id, err: error }, 'stored Blink tokens unusable; session needs login');
        manager.markNeedsLogin(session.id);
        throw error instanceof SealError ? error : new SealError('stored tokens could not be opened', { cause: error });
      }
      const tokenStore = storeFor(session.id, session.ownerUserId);
      const account = blink.account(data, tokenStore);
      clients.set(session.id, { account, accountId: data.accountId });
      return account;
    },
    accountForSessionId(sessionId) {
      const held = clients.get(sessionId);
      if (held) return held.account;
      const session = repos.sessions.getById(sessionId);
      if (!session) throw new Error(`session ${sessionId} no longer exists`);
      return manager.accountForSession(session);
    },
    sessionForChat(chat, caller) {
      if (chat.kind === 'private') return repos.sessions.getByOwner(caller.id);
      const link = repos.links.get(chat.id);
      return link ? repos.sessions.getById(link.sessionId) : undefined;
    },
    accountForChat(chat, caller) {
      const session = manager.sessionForChat(chat, caller);
      if (!session) return undefined;
      if (needsLogin(session)) throw new UserError('login_required', SESSION_EXPIRED_TEXT);
      return { session, account: manager.accountForSession(session) };
    },
    hardwareIdFor(ownerId) {
      return repos.sessions.hardwareIdFor(ownerId, newHardwareId(), clock.now());
    },
    saveLogin(ownerId, data, email) {
      const sealedTokens = sealer.seal(JSON.stringify(data), ownerId);
      const session = repos.sessions.saveForOwner(
        {
          ownerUserId: ownerId,
          accountId: data.accountId,
          tier: data.tier,
          hardwareId: data.hardwareId,
          clientId: data.clientId ?? null,
          blinkUserId: data.userId ?? null,
          email: data.email ?? email,
          sealedTokens,
          accessExpiresAt: data.accessExpiresAt,
        },
        clock.now(),
      );
      release(session.id);
      deps.onLogin?.(session.id);
      return session;
    },
    markNeedsLogin(sessionId) {
      repos.sessions.markNeedsLogin(sessionId, clock.now());
      release(sessionId);
    },
    remove(sessionId) {
      release(sessionId);
      repos.sessions.delete(sessionId);
    },
  };
  return manager;
}
