import { createHash, randomBytes } from 'node:crypto';
import { fetch, type Headers } from 'undici';
import type { BlinkSimulator } from '../../src/simulator/index.js';

/** A tiny hand-rolled Blink client for the simulator tests: cookie jar + the OAuth steps. */
export interface Tokens {
  accessToken: string;
  refreshToken: string;
}

export const FIXTURE_EMAIL = 'owner@example.com';
export const FIXTURE_PASSWORD = 'correct-horse-battery-staple';
const CALLBACK = 'immedia-blink://applinks.blink.com/signin/callback';

function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export function createOAuthWalker(sim: BlinkSimulator) {
  let cookie = '';
  const { verifier, challenge } = pkce();
  let csrf = '';

  async function call(path: string, init: { method?: string; form?: Record<string, string> } = {}) {
    const res = await fetch(`${sim.oauthUrl}${path}`, {
      method: init.method ?? 'GET',
      redirect: 'manual',
      headers: {
        ...(cookie ? { cookie } : {}),
        ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: init.form ? new URLSearchParams(init.form).toString() : undefined,
    });
    const set = res.headers.get('set-cookie');
    if (set) cookie = set.split(';')[0] ?? '';
    return res;
  }

  return {
    verifier,
    challenge,
    call,
    async authorize() {
      const q = new URLSearchParams({
        app_brand: 'blink',
        client_id: 'ios',
        code_challenge: challenge,
        code_challenge_method: 'S256',
        hardware_id: 'HW-1',
        redirect_uri: CALLBACK,
        response_type: 'code',
        scope: 'client',
      });
      return call(`/oauth/v2/authorize?${q.toString()}`);
    },
    async signinPage() {
      const res = await call('/oauth/v2/signin');
      const html = await res.text();
      const m = /<script id="oauth-args" type="application\/json">(.*?)<\/script>/.exec(html);
      const args: unknown = JSON.parse(m?.[1] ?? '{}');
      if (typeof args === 'object' && args !== null && 'csrf-token' in args && typeof args['csrf-token'] === 'string') {
        csrf = args['csrf-token'];
      }
      return { res, csrf };
    },
    signin(username: string, password: string) {
      return call('/oauth/v2/signin', { method: 'POST', form: { username, password, 'csrf-token': csrf } });
    },
    verify(pin: string) {
      return call('/oauth/v2/2fa/verify', { method: 'POST', form: { '2fa_code': pin, 'csrf-token': csrf, remember_me: 'false' } });
    },
    async code(): Promise<string | null> {
      const res = await call('/oauth/v2/authorize');
      const location = res.headers.get('location');
      return location ? new URL(location).searchParams.get('code') : null;
    },
    exchange(code: string, codeVerifier = verifier) {
      return call('/oauth/token', {
        method: 'POST',
        form: {
          app_brand: 'blink',
          client_id: 'ios',
          code,
          code_verifier: codeVerifier,
          grant_type: 'authorization_code',
          hardware_id: 'HW-1',
          redirect_uri: CALLBACK,
          scope: 'client',
        },
      });
    },
  };
}

export async function tokenFields(res: { json(): Promise<unknown> }): Promise<Tokens> {
  const body: unknown = await res.json();
  if (
    typeof body === 'object' &&
    body !== null &&
    'access_token' in body &&
    'refresh_token' in body &&
    typeof body.access_token === 'string' &&
    typeof body.refresh_token === 'string'
  ) {
    return { accessToken: body.access_token, refreshToken: body.refresh_token };
  }
  throw new Error(`not a token body: ${JSON.stringify(body)}`);
}

/** Logs the fixture account in (no 2FA) and returns its tokens. */
export async function login(sim: BlinkSimulator, email = FIXTURE_EMAIL, password = FIXTURE_PASSWORD): Promise<Tokens> {
  const w = createOAuthWalker(sim);
  await w.authorize();
  await w.signinPage();
  const s = await w.signin(email, password);
  if (s.status !== 302) throw new Error(`signin ${s.status}`);
  const code = await w.code();
  if (!code) throw new Error('no code');
  return tokenFields(await w.exchange(code));
}

export function refresh(sim: BlinkSimulator, refreshToken: string, clientId = 'ios') {
  return fetch(`${sim.oauthUrl}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId, scope: 'client' }).toString(),
  });
}

/** REST call with blinkpy's headers (docs/blink-api.md, "Headers"). */
export function rest(sim: BlinkSimulator, token: string, path: string, init: { method?: string; body?: unknown; tier?: string; signal?: AbortSignal } = {}) {
  return fetch(`${sim.restUrl(init.tier ?? 'u011')}${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: init.signal,
  });
}

export async function restJson(
  sim: BlinkSimulator,
  token: string,
  path: string,
  init: { method?: string; body?: unknown; tier?: string } = {},
): Promise<{ status: number; body: unknown; headers: Headers }> {
  const res = await rest(sim, token, path, init);
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : JSON.parse(text), headers: res.headers };
}

/** Reads `obj.a.b…` from parsed JSON without casts. */
export function pick(value: unknown, ...keys: (string | number)[]): unknown {
  let cur = value;
  for (const key of keys) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = Reflect.get(cur, key);
  }
  return cur;
}
