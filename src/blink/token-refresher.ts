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

/**
 * A class: one per linked account for the life of the process, so its methods live once on
 * the prototype rather than as closures per account (docs/performance.md, "Many accounts").
 */
class Refresher implements TokenRefresher {
  readonly auth: AuthHooks;
  private readonly http: BlinkHttp;
  private readonly urls: BlinkUrls;
  private readonly clock: Clock;
  private readonly log: BlinkLogger;
  private readonly margin: number;
  private session: BlinkSessionData;
  private store: SessionStore;
  private inflight: Promise<BlinkSessionData> | undefined;
  private dead: BlinkAuthError | undefined;
  private pausedUntil = 0;

  constructor(deps: SessionDeps, initial: BlinkSessionData, initialStore: SessionStore) {
    this.http = deps.http;
    this.urls = deps.urls;
    this.clock = deps.clock;
    this.log = deps.log;
    this.margin = deps.refreshMarginMs ?? 10 * 60_000;
    this.session = initial;
    this.store = initialStore;
    this.auth = new RefresherAuth(this);
  }

  current(): BlinkSessionData {
    return this.session;
  }

  private pauseFor(ms: number): void {
    this.pausedUntil = this.clock.now() + ms;
    this.log.warn({ accountId: this.session.accountId, pauseMs: ms }, 'blink token requests paused');
  }

  private async doRefresh(): Promise<BlinkSessionData> {
    const { http, clock } = this;
    if (this.dead) throw this.dead;
    const now = clock.now();
    if (this.pausedUntil > now) throw new BlinkRateLimitError(ENDPOINT, this.pausedUntil - now);
    const session = this.session;
    let res;
    try {
      res = await http.send({
        account: session.accountId,
        method: 'POST',
        url: `${this.urls.oauth.replace(/\/+$/, '')}/oauth/token`,
        endpoint: ENDPOINT,
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
      if (err instanceof BlinkError && !(err instanceof BlinkRateLimitError)) this.pauseFor(http.limits.tokenFailurePauseMs);
      throw err;
    }
    if (res.status === 200) {
      const tokens = parseBody(TokenResponse, parseJson(res.text, ENDPOINT), ENDPOINT);
      const next: BlinkSessionData = {
        ...this.session,
        accessToken: tokens.access_token,
        refreshToken: tokens.refresh_token,
        accessExpiresAt: clock.now() + (tokens.expires_in ?? 3600) * 1000,
      };
      await this.store.save(next); // before anyone uses the new access token
      this.session = next;
      this.log.info({ accountId: next.accountId }, 'blink session refreshed');
      return next;
    }
    // Only a refusal of the refresh token itself ends the session (F7): 400/401, or Blink's
    // `invalid_grant` under any 4xx. A 403 or 406 from a proxy or a header check is transient.
    if (res.status === 400 || res.status === 401 || (res.status >= 400 && res.status < 500 && isInvalidGrant(res.text))) {
      this.dead = new BlinkAuthError(ENDPOINT, 'Blink refused the refresh token; log in again');
      throw this.dead;
    }
    if (res.status === 429) {
      const retry = parseRetryAfter(headerOf(res.headers['retry-after']), clock.now()) ?? 0;
      const ms = Math.max(retry, http.limits.tokenFailurePauseMs);
      this.pauseFor(ms);
      throw new BlinkRateLimitError(ENDPOINT, ms);
    }
    this.pauseFor(http.limits.tokenFailurePauseMs);
    throw new BlinkApiError(res.status, ENDPOINT);
  }

  refresh(): Promise<BlinkSessionData> {
    this.inflight ??= this.doRefresh().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  /** AuthHooks.token: a valid access token, refreshing ahead of expiry. */
  async token(): Promise<string> {
    if (this.dead) throw this.dead;
    if (this.inflight) return (await this.inflight).accessToken;
    if (this.clock.now() < this.session.accessExpiresAt - this.margin) return this.session.accessToken;
    try {
      return (await this.refresh()).accessToken;
    } catch (err) {
      // A proactive refresh that failed for a transient reason: the old token still works.
      if (!(err instanceof BlinkAuthError) && this.clock.now() < this.session.accessExpiresAt) return this.session.accessToken;
      throw err;
    }
  }

  /** AuthHooks.refresh: one refresh after `refused` was refused (401). */
  async refreshRefused(refused: string): Promise<string> {
    if (this.dead) throw this.dead;
    if (this.inflight) return (await this.inflight).accessToken;
    if (refused !== this.session.accessToken) return this.session.accessToken; // someone else refreshed already
    return (await this.refresh()).accessToken;
  }

  adopt(next: BlinkSessionData, nextStore: SessionStore): void {
    this.store = nextStore;
    // A stale copy must never replace a rotated refresh token; a re-login replaces a dead one.
    if (next.accessExpiresAt > this.session.accessExpiresAt || (this.dead && next.refreshToken !== this.session.refreshToken)) {
      this.session = next;
      this.dead = undefined;
      this.pausedUntil = 0;
    }
  }
}

/** The refresher as http.ts's AuthHooks (its own `refresh` means something else). */
class RefresherAuth implements AuthHooks {
  constructor(private readonly refresher: Refresher) {}
  token(): Promise<string> {
    return this.refresher.token();
  }
  refresh(refused: string): Promise<string> {
    return this.refresher.refreshRefused(refused);
  }
}

const ENDPOINT = 'oauth/token(refresh)';

export function createTokenRefresher(deps: SessionDeps, initial: BlinkSessionData, initialStore: SessionStore): TokenRefresher {
  return new Refresher(deps, initial, initialStore);
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
