import { randomBytes, randomInt } from 'node:crypto';

/** One login chain: the access and refresh tokens it issued, so logout can end it. */
interface AccessRecord {
  accountId: number;
  expiresAt: number;
  family: number;
}
interface RefreshRecord {
  accountId: number;
  family: number;
  /** Set once rotated: only `acceptOldRefreshTokens` still lets it through. */
  rotated: boolean;
}

export interface OAuthSession {
  id: string;
  codeChallenge: string | null;
  redirectUri: string | null;
  hardwareId: string | null;
  clientId: string | null;
  csrf: string | null;
  stage: 'new' | 'pending-2fa' | 'authenticated';
  accountId: number | null;
}

interface CodeRecord {
  accountId: number;
  codeChallenge: string | null;
  redirectUri: string | null;
  hardwareId: string | null;
  clientId: string | null;
  expiresAt: number;
}

export interface IssuedTokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

export type AuthStore = ReturnType<typeof createAuthStore>;

const CODE_LIFETIME_MS = 10 * 60_000;

const b64url = (bytes: Buffer): string => bytes.toString('base64url');

/** Sessions, one-time codes and tokens of the fake OAuth server. */
export function createAuthStore(deps: { now: () => number; tokenLifetimeSec: number; acceptOldRefreshTokens: boolean }) {
  const sessions = new Map<string, OAuthSession>();
  const codes = new Map<string, CodeRecord>();
  const access = new Map<string, AccessRecord>();
  const refresh = new Map<string, RefreshRecord>();
  let nextFamily = 1;
  let lastIssuedPin: string | null = null;
  const hardwareIds: string[] = [];

  function createSession(): OAuthSession {
    const session: OAuthSession = {
      id: b64url(randomBytes(18)),
      codeChallenge: null,
      redirectUri: null,
      hardwareId: null,
      clientId: null,
      csrf: null,
      stage: 'new',
      accountId: null,
    };
    sessions.set(session.id, session);
    return session;
  }

  function issue(accountId: number, family = nextFamily++): IssuedTokens {
    const accessToken = `eyJhbGciOiJSUzI1NiJ9.${b64url(Buffer.from(`sim:${accountId}:${family}`))}.${b64url(randomBytes(24))}`;
    const refreshToken = `rt-${randomBytes(16).toString('hex')}`;
    access.set(accessToken, { accountId, family, expiresAt: deps.now() + deps.tokenLifetimeSec * 1000 });
    refresh.set(refreshToken, { accountId, family, rotated: false });
    return { accessToken, refreshToken, expiresIn: deps.tokenLifetimeSec };
  }

  return {
    createSession,
    session: (id: string | undefined): OAuthSession | undefined => (id ? sessions.get(id) : undefined),
    newCsrf: (session: OAuthSession): string => (session.csrf = `csrf-${randomBytes(8).toString('hex')}`),
    newPin(): string {
      lastIssuedPin = String(randomInt(0, 1_000_000)).padStart(6, '0');
      return lastIssuedPin;
    },
    lastIssuedPin: (): string | null => lastIssuedPin,
    /** Every hardware_id a client sent (authorize, code exchange, refresh), in order, bounded. */
    noteHardwareId(id: string | null): void {
      if (id === null) return;
      hardwareIds.push(id);
      if (hardwareIds.length > 1000) hardwareIds.splice(0, hardwareIds.length - 1000);
    },
    hardwareIds: (): readonly string[] => [...hardwareIds],

    issueCode(session: OAuthSession, accountId: number): string {
      const code = `ac-${randomBytes(12).toString('hex')}`;
      codes.set(code, {
        accountId,
        codeChallenge: session.codeChallenge,
        redirectUri: session.redirectUri,
        hardwareId: session.hardwareId,
        clientId: session.clientId,
        expiresAt: deps.now() + CODE_LIFETIME_MS,
      });
      return code;
    },
    /** One-time: the code is gone after this call whatever the outcome. */
    takeCode(code: string): CodeRecord | undefined {
      const record = codes.get(code);
      codes.delete(code);
      if (!record || record.expiresAt < deps.now()) return undefined;
      return record;
    },

    issue,
    /** Rotate: returns new tokens, or undefined when the refresh token is unknown or spent. */
    rotate(refreshToken: string): IssuedTokens | undefined {
      const record = refresh.get(refreshToken);
      if (!record) return undefined;
      if (record.rotated && !deps.acceptOldRefreshTokens) return undefined;
      record.rotated = true;
      return issue(record.accountId, record.family);
    },
    /** Account of a valid, unexpired access token. */
    accountOf(accessToken: string): number | undefined {
      const record = access.get(accessToken);
      if (!record || record.expiresAt <= deps.now()) return undefined;
      return record.accountId;
    },
    expireAccess(accountId?: number): number {
      let n = 0;
      for (const record of access.values()) {
        if (accountId === undefined || record.accountId === accountId) {
          record.expiresAt = 0;
          n++;
        }
      }
      return n;
    },
    revokeRefresh(accountId?: number): number {
      let n = 0;
      for (const [token, record] of refresh) {
        if (accountId === undefined || record.accountId === accountId) {
          refresh.delete(token);
          n++;
        }
      }
      return n;
    },
    /** Logout: end the whole chain the access token belongs to. */
    revokeFamilyOf(accessToken: string): void {
      const family = access.get(accessToken)?.family;
      if (family === undefined) return;
      for (const [t, r] of access) if (r.family === family) access.delete(t);
      for (const [t, r] of refresh) if (r.family === family) refresh.delete(t);
    },
  };
}
