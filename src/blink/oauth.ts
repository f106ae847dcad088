/**
 * Blink login: OAuth v2 authorization code + PKCE (docs/blink-api.md, "Login and OAuth"), 2FA as an
 * explicit PendingLogin, then tier discovery ("Tiers and hosts"). One cookie jar per attempt.
 * The password lives only inside `startLogin` and is never logged or put in an error.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import { BlinkApiError, BlinkLoginError, BlinkProtocolError, BlinkRateLimitError } from '../errors.js';
import { APP_VERSION, DEVICE, SAFARI_UA, TIER_INFO_HEADERS, TOKEN_HEADERS, WEB_HEADERS } from './client-identity.js';
import { createCookieJar, type CookieJar } from './cookie-jar.js';
import { restBase } from './hosts.js';
import { parseRetryAfter, type BlinkHttp, type RawResponse } from './http.js';
import { parseBody, TierInfo, TokenResponse, TwoFactorRequired, TwoFactorVerified } from './schemas.js';
import { codeChannel, type CodeChannel } from './two-factor-channel.js';
import type { BlinkSessionData, BlinkUrls, CallOptions, LoginStep, PendingLogin } from './types.js';

const REDIRECT_URI = 'immedia-blink://applinks.blink.com/signin/callback';
const MAX_REDIRECTS = 5;

export interface OAuthDeps {
  http: BlinkHttp;
  urls: BlinkUrls;
  clock: Clock;
  /** How long a 2FA attempt stays usable. Default 10 min. */
  twoFactorTtlMs?: number;
}

const base64url = (b: Buffer): string => b.toString('base64url');

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

function location(res: RawResponse): string | undefined {
  const v = res.headers.location;
  return Array.isArray(v) ? v[0] : v;
}

/** The CSRF token from `<script id="oauth-args" type="application/json">` (docs/blink-api.md, "Login and OAuth", step 2). */
export function extractCsrf(html: string): string | undefined {
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    const attrs = new Map<string, string>();
    for (const a of (m[1] ?? '').matchAll(/([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
      attrs.set((a[1] ?? '').toLowerCase(), a[2] ?? a[3] ?? '');
    }
    if (attrs.get('id') !== 'oauth-args' || attrs.get('type') !== 'application/json') continue;
    try {
      const parsed: unknown = JSON.parse(m[2] ?? '');
      if (parsed && typeof parsed === 'object' && 'csrf-token' in parsed) {
        const token = parsed['csrf-token'];
        if (typeof token === 'string' && token !== '') return token;
      }
    } catch {
      return undefined;
    }
  }
  return undefined;
}

interface Attempt {
  deps: OAuthDeps;
  jar: CookieJar;
  verifier: string;
  hardwareId: string;
  email: string;
  csrf: string;
}

function form(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

async function oauthSend(
  a: Attempt,
  method: 'GET' | 'POST',
  path: string,
  endpoint: string,
  headers: Record<string, string>,
  body: string | undefined,
  options: CallOptions | undefined,
): Promise<RawResponse> {
  const url = new URL(path, `${a.deps.urls.oauth.replace(/\/+$/, '')}/`).toString();
  // The login's cookies and form posts belong to the OAuth host alone.
  if (new URL(url).origin !== new URL(a.deps.urls.oauth).origin) {
    throw new BlinkLoginError('failed', `Blink sent the login to another host (${endpoint}); not followed`);
  }
  const cookie = a.jar.header(url);
  const res = await a.deps.http.send({
    account: '',
    method,
    url,
    endpoint,
    headers: { ...headers, ...(cookie ? { cookie } : {}) },
    ...(body !== undefined ? { body } : {}),
    signal: options?.signal,
    priority: options?.priority,
  });
  a.jar.store(url, res.headers['set-cookie']);
  if (res.status === 429) {
    throw new BlinkRateLimitError(endpoint, parseRetryAfter(headerOf(res, 'retry-after'), a.deps.clock.now()) ?? 15 * 60_000);
  }
  return res;
}

function headerOf(res: RawResponse, name: string): string | undefined {
  const v = res.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** GET (following same-host redirects by hand, so cookies are kept) until a non-redirect. */
async function webGet(a: Attempt, path: string, endpoint: string, headers: Record<string, string>, options?: CallOptions): Promise<RawResponse> {
  let current = path;
  for (let hop = 0; ; hop++) {
    const res = await oauthSend(a, 'GET', current, endpoint, headers, undefined, options);
    const next = location(res);
    if (!isRedirect(res.status) || next === undefined || hop >= MAX_REDIRECTS) return res;
    const target = new URL(next, new URL(current, a.deps.urls.oauth));
    if (target.origin !== new URL(a.deps.urls.oauth).origin) return res;
    current = target.pathname + target.search;
  }
}

function postHeaders(oauth: string): Record<string, string> {
  const origin = new URL(oauth).origin;
  return {
    'user-agent': SAFARI_UA,
    accept: '*/*',
    'content-type': 'application/x-www-form-urlencoded',
    origin,
    referer: `${origin}/oauth/v2/signin`,
  };
}

/**
 * Follows a redirect chain on the OAuth host until it ends, or until it points at the app's
 * callback carrying the authorization code. Hops to any other host are not followed.
 */
async function followToCode(a: Attempt, res: RawResponse, endpoint: string, options?: CallOptions): Promise<{ res: RawResponse; code?: string }> {
  const origin = new URL(a.deps.urls.oauth).origin;
  let current = res;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const next = location(current);
    if (!isRedirect(current.status) || next === undefined) return { res: current };
    const target = new URL(next, origin);
    const code = target.searchParams.get('code');
    if (target.origin !== origin) return code ? { res: current, code } : { res: current };
    if (hop === MAX_REDIRECTS) return { res: current };
    current = await oauthSend(
      a,
      'GET',
      target.pathname + target.search,
      endpoint,
      {
        'user-agent': SAFARI_UA,
        accept: '*/*',
        referer: `${origin}/oauth/v2/signin`,
      },
      undefined,
      options,
    );
  }
  return { res: current };
}

/** Steps 5 and 6, then tier discovery: the session of a completed sign-in. */
async function finish(a: Attempt, options?: CallOptions, knownCode?: string): Promise<BlinkSessionData> {
  let code = knownCode;
  if (code === undefined) {
    const origin = new URL(a.deps.urls.oauth).origin;
    const codeRes = await oauthSend(
      a,
      'GET',
      '/oauth/v2/authorize',
      'oauth/authorize(code)',
      {
        'user-agent': SAFARI_UA,
        accept: '*/*',
        referer: `${origin}/oauth/v2/signin`,
      },
      undefined,
      options,
    );
    const loc = location(codeRes);
    code = (isRedirect(codeRes.status) && loc ? new URL(loc, origin).searchParams.get('code') : null) ?? undefined;
    if (!code) throw new BlinkLoginError('failed', `Blink gave no authorization code (status ${codeRes.status})`);
  }

  const tokenRes = await oauthSend(
    a,
    'POST',
    '/oauth/token',
    'oauth/token',
    { ...TOKEN_HEADERS },
    form({
      app_brand: 'blink',
      client_id: 'ios',
      code,
      code_verifier: a.verifier,
      grant_type: 'authorization_code',
      hardware_id: a.hardwareId,
      redirect_uri: REDIRECT_URI,
      scope: 'client',
    }),
    options,
  );
  if (tokenRes.status !== 200) throw new BlinkLoginError('failed', `Blink refused the code exchange (status ${tokenRes.status})`);
  const tokens = parseBody(TokenResponse, parseJson(tokenRes.text, 'oauth/token'), 'oauth/token');
  const now = a.deps.clock.now();

  const tierRes = await a.deps.http.json({
    account: '',
    method: 'GET',
    url: `${restBase(a.deps.urls.restTemplate, 'prod')}/api/v1/users/tier_info`,
    endpoint: 'users/tier_info',
    headers: { ...TIER_INFO_HEADERS, authorization: `Bearer ${tokens.access_token}` },
    signal: options?.signal,
    priority: options?.priority,
  });
  const tier = parseBody(TierInfo, tierRes.body, 'users/tier_info');
  return {
    accountId: tier.account_id,
    tier: tier.tier,
    hardwareId: a.hardwareId,
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token,
    accessExpiresAt: now + (tokens.expires_in ?? 3600) * 1000,
    email: a.email,
  };
}

export function parseJson(text: string, endpoint: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new BlinkProtocolError(endpoint, [], `Blink sent malformed JSON on ${endpoint}`, { cause });
  }
}

function needsTwoFactor(res: RawResponse): { via?: CodeChannel } | undefined {
  if (res.status === 412) return viaOf(res.text);
  if (res.status !== 202) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(res.text);
  } catch {
    return undefined;
  }
  const parsed = TwoFactorRequired.safeParse(body);
  if (!parsed.success) return undefined;
  const d = parsed.data;
  return d.tsv_state || (d.tsv_methods && d.tsv_methods.length > 0) || d.next_time_in_secs ? viaOf(res.text) : undefined;
}

function viaOf(text: string): { via?: CodeChannel } {
  try {
    const via = codeChannel(JSON.parse(text));
    return via ? { via } : {};
  } catch {
    return {};
  }
}

/** A Blink hardware id as the iOS app makes one: an upper-case UUID v4. Made once per user. */
export function newHardwareId(): string {
  return randomUUID().toUpperCase();
}

export async function startLogin(deps: OAuthDeps, email: string, password: string, options?: CallOptions & { hardwareId?: string }): Promise<LoginStep> {
  const verifier = base64url(randomBytes(32));
  const challenge = base64url(createHash('sha256').update(verifier, 'ascii').digest());
  const hardwareId = options?.hardwareId ?? newHardwareId();
  const a: Attempt = { deps, jar: createCookieJar(deps.clock.now), verifier, hardwareId, email, csrf: '' };

  const query = new URLSearchParams({
    app_brand: 'blink',
    app_version: APP_VERSION,
    client_id: 'ios',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    device_brand: DEVICE.brand,
    device_model: DEVICE.model,
    device_os_version: DEVICE.osVersion,
    hardware_id: hardwareId,
    redirect_uri: REDIRECT_URI,
    response_type: 'code',
    scope: 'client',
  });
  const auth = await webGet(a, `/oauth/v2/authorize?${query.toString()}`, 'oauth/authorize', WEB_HEADERS, options);
  if (auth.status !== 200) throw new BlinkLoginError('failed', `Blink authorization request failed (status ${auth.status})`);
  // When authorize redirected to the sign-in page (step 1 in docs/blink-api.md), that page already holds the
  // CSRF token: reading it again would only cost a request.
  let csrf = extractCsrf(auth.text);
  if (!csrf) {
    const page = await webGet(a, '/oauth/v2/signin', 'oauth/signin', WEB_HEADERS, options);
    csrf = page.status === 200 ? extractCsrf(page.text) : undefined;
  }
  if (!csrf) throw new BlinkLoginError('failed', 'Blink sign-in page had no CSRF token');
  a.csrf = csrf;

  const signin = await oauthSend(
    a,
    'POST',
    '/oauth/v2/signin',
    'oauth/signin(post)',
    postHeaders(deps.urls.oauth),
    form({ username: email, password, 'csrf-token': csrf }),
    options,
  );
  if (isRedirect(signin.status)) return { kind: 'done', session: await finish(a, options) };
  const twoFactor = needsTwoFactor(signin);
  if (twoFactor) return { kind: 'awaiting-code', pending: createPendingLogin(a, twoFactor.via) };
  if (signin.status === 400 || signin.status === 401 || signin.status === 403 || signin.status === 422) {
    throw new BlinkLoginError('bad-credentials', 'Blink did not accept this email and password');
  }
  throw new BlinkLoginError('failed', `Blink sign-in failed (status ${signin.status})`);
}

function createPendingLogin(a: Attempt, via: CodeChannel | undefined): PendingLogin {
  const expiresAt = a.deps.clock.now() + (a.deps.twoFactorTtlMs ?? 10 * 60_000);
  let queue: Promise<unknown> = Promise.resolve();
  let verified = false;
  let done: BlinkSessionData | undefined;

  async function attemptCode(code: string, options?: CallOptions): Promise<BlinkSessionData> {
    if (done) return done;
    if (a.deps.clock.now() >= expiresAt) throw new BlinkLoginError('expired', 'The Blink login code has expired; start the login again');
    if (!verified) {
      const answer = await oauthSend(
        a,
        'POST',
        '/oauth/v2/2fa/verify',
        'oauth/2fa/verify',
        postHeaders(a.deps.urls.oauth),
        form({ '2fa_code': code.trim(), 'csrf-token': a.csrf, remember_me: 'false' }),
        options,
      );
      // Redirects are followed here. Newer Blink clients get a redirect to the authorize step
      // instead of 201: it leads to the authorization code, so the code was accepted.
      const { res, code: authCode } = await followToCode(a, answer, 'oauth/2fa/verify', options);
      if (authCode !== undefined) {
        verified = true;
        done = await finish(a, options, authCode);
        return done;
      }
      let ok = false;
      if (res.status === 201) {
        try {
          ok = TwoFactorVerified.safeParse(JSON.parse(res.text)).success;
        } catch {
          ok = false;
        }
      }
      if (!ok) {
        if (res.status >= 500) throw new BlinkApiError(res.status, 'oauth/2fa/verify');
        throw new BlinkLoginError('bad-code', 'Blink did not accept this code');
      }
      verified = true;
    }
    done = await finish(a, options);
    return done;
  }

  const pending: PendingLogin = {
    expiresAt,
    ...(via !== undefined ? { codeSentVia: via } : {}),
    submitCode(code, options) {
      // One attempt per call; concurrent calls run one after another.
      const run = queue.then(() => attemptCode(code, options));
      queue = run.catch(() => undefined);
      return run;
    },
  };
  return pending;
}
