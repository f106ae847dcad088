/**
 * Token life of one account: proactive refresh with a margin, single-flight, the OAuth
 * refresh form of docs/blink-api.md ("Login and OAuth") (client_id=ios + hardware_id), and `store.save`
 * awaited before a new access token is handed out. Token endpoint failures never loop:
 * 429/5xx pause this account's token requests (docs/chat-contract.md F5); a refused refresh token makes
 * the session dead (docs/chat-contract.md F7) and no further request is made for it.
 */
import type { Clock } from '../clock.js';
import { BlinkApiError, BlinkAuthError, BlinkError, BlinkRateLimitError } from '../errors.js';
import { parseRetryAfter, type AuthHooks, type BlinkHttp, type BlinkLogger } from './http.js';
import { TOKEN_HEADERS } from './client-identity.js';
import { parseJson } from './oauth.js';
import { OAuthError, parseBody, TokenResponse } from './schemas.js';
import type { BlinkSessionData, BlinkUrls, SessionStore } from './types.js';

/** The tokens of one Blink account, kept fresh (the bot's stored sessions are core/session-manager.ts). */
export interface TokenRefresher {
  current(): BlinkSessionData;
  /** Hooks for http.ts: a valid access token, and one refresh after a 401. */
  readonly auth: AuthHooks;
  /** Forces a refresh now (single-flight). */
  refresh(): Promise<BlinkSessionData>;
  /** Replaces the session when a newer one is handed in (same account). */
  adopt(session: BlinkSessionData, store: SessionStore): void;
}

export interface SessionDeps {
  http: BlinkHttp;
  urls: BlinkUrls;
  clock: Clock;
  log: BlinkLogger;
  /** Refresh this long before expiry. Default 10 min. */
  refreshMarginMs?: number;
}

export function createTokenRefresher(deps: SessionDeps, initial: BlinkSessionData, initialStore: SessionStore): TokenRefresher {
  const { http, clock, log } = deps;
  const margin = deps.refreshMarginMs ?? 10 * 60_000;
  let session = initial;
  let store = initialStore;
  let inflight: Promise<BlinkSessionData> | undefined;
  let dead: BlinkAuthError | undefined;
  let pausedUntil = 0;
  const endpoint = 'oauth/token(refresh)';

  async function doRefresh(): Promise<BlinkSessionData> {
    if (dead) throw dead;
    const now = clock.now();
    if (pausedUntil > now) throw new BlinkRateLimitError(endpoint, pausedUntil - now);
    const pauseFor = (ms: number): void => {
      pausedUntil = clock.now() + ms;
      log.warn({ accountId: session.accountId, pauseMs: ms }, 'blink token requests paused');
    };
    let res;
    try {
      res = await http.send({
        account: session.accountId,
        method: 'POST',
        url: `${deps.urls.oauth.replace(/\/+$/, '')}/oauth/token`,
        endpoint,
        headers: { ...TOKEN_HEADERS },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: session.refreshToken,
          client_id: 'ios',
          scope: 'client',
          hardware_id: session.hardwareId,
        }).toString(),
      });
    } catch (err) {
      if (err instanceof BlinkError && !(err instanceof BlinkRateLimitError)) pauseFor(http.limits.tokenFailurePauseMs);
      throw err;
    }
    if (res.status === 200) {
      const tokens = parseBody(TokenResponse, parseJson(res.text, endpoint), endpoint);
      const next: BlinkSessionData = {
        ...session,
        accessToken: tokens.access_token,
        refreshToken: tokens.refresh_token,
        accessExpiresAt: clock.now() + (tokens.expires_in ?? 3600) * 1000,
      };
      await store.save(next); // before anyone uses the new access token
      session = next;
      log.info({ accountId: session.accountId }, 'blink session refreshed');
      return session;
    }
    // Only a refusal of the refresh token itself ends the session (F7): 400/401, or Blink's
    // `invalid_grant` under any 4xx. A 403 or 406 from a proxy or a header check is transient.
    if (res.status === 400 || res.status === 401 || (res.status >= 400 && res.status < 500 && isInvalidGrant(res.text))) {
      dead = new BlinkAuthError(endpoint, 'Blink refused the refresh token; log in again');
      throw dead;
    }
    if (res.status === 429) {
      const retry = parseRetryAfter(headerOf(res.headers['retry-after']), clock.now()) ?? 0;
      const ms = Math.max(retry, http.limits.tokenFailurePauseMs);
      pauseFor(ms);
      throw new BlinkRateLimitError(endpoint, ms);
    }
    pauseFor(http.limits.tokenFailurePauseMs);
    throw new BlinkApiError(res.status, endpoint);
  }

  function refresh(): Promise<BlinkSessionData> {
    if (!inflight) {
      inflight = doRefresh().finally(() => {
        inflight = undefined;
      });
    }
    return inflight;
  }

  const auth: AuthHooks = {
    async token() {
      if (dead) throw dead;
      if (inflight) return (await inflight).accessToken;
      if (clock.now() < session.accessExpiresAt - margin) return session.accessToken;
      try {
        return (await refresh()).accessToken;
      } catch (err) {
        // A proactive refresh that failed for a transient reason: the old token still works.
        if (!(err instanceof BlinkAuthError) && clock.now() < session.accessExpiresAt) return session.accessToken;
        throw err;
      }
    },
    async refresh(refused) {
      if (dead) throw dead;
      if (inflight) return (await inflight).accessToken;
      if (refused !== session.accessToken) return session.accessToken; // someone else refreshed already
      return (await refresh()).accessToken;
    },
  };

  return {
    current: () => session,
    auth,
    refresh,
    adopt(next, nextStore) {
      store = nextStore;
      // A stale copy must never replace a rotated refresh token; a re-login replaces a dead one.
      if (next.accessExpiresAt > session.accessExpiresAt || (dead && next.refreshToken !== session.refreshToken)) {
        session = next;
        dead = undefined;
        pausedUntil = 0;
      }
    },
  };
}

function isInvalidGrant(text: string): boolean {
  try {
    return OAuthError.safeParse(JSON.parse(text)).data?.error === 'invalid_grant';
  } catch {
    return false;
  }
}

function headerOf(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
