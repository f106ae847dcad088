import { createHash } from 'node:crypto';
import type { AuthStore, IssuedTokens, OAuthSession } from './auth-store.js';
import { cookieValue, jsonReply, parseForm, type SimReply } from './http-io.js';
import { route, type Route, type RouteContext } from './router.js';
import type { SimState } from './state.js';

/** The fake `api.oauth.blink.com` (docs/blink-api.md, "Login and OAuth"). */
export interface OAuthDeps {
  state: SimState;
  auth: AuthStore;
  /** true: authorize answers 302 to /oauth/v2/signin; false: 200 with the page. */
  authorizeRedirect: () => boolean;
  /** true: a good 2FA code answers 302 to the bare authorize step (newer Blink clients follow it). */
  verifyRedirect: () => boolean;
}

const CALLBACK = 'immedia-blink://applinks.blink.com/signin/callback';

function signinPage(csrf: string): string {
  const args = JSON.stringify({ 'csrf-token': csrf, locale: 'en-US' });
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Sign in</title>
  <script id="oauth-args" type="application/json">${args}</script>
</head>
<body>
  <div id="app"></div>
</body>
</html>
`;
}

const html = (status: number, body: string, headers: Record<string, string> = {}): SimReply => ({
  status,
  headers: { 'content-type': 'text/html; charset=utf-8', ...headers },
  body,
});

const sidCookie = (session: OAuthSession): Record<string, string> => ({
  'set-cookie': `sid=${session.id}; Path=/`,
});

const tokenBody = (t: IssuedTokens): Record<string, unknown> => ({
  access_token: t.accessToken,
  expires_in: t.expiresIn,
  refresh_token: t.refreshToken,
  scope: 'client',
  token_type: 'Bearer',
});

const invalidGrant = (description: string): SimReply => jsonReply(401, { error: 'invalid_grant', error_description: description });

export function createOAuthRoutes(deps: OAuthDeps): Route[] {
  const { state, auth } = deps;
  const sessionOf = (ctx: RouteContext): OAuthSession | undefined => auth.session(cookieValue(ctx.req, 'sid'));

  function authorize(ctx: RouteContext): SimReply {
    if (ctx.rawQuery === '') {
      // Step 5: the bare authorize hands out the one-time code.
      const session = sessionOf(ctx);
      if (session?.stage !== 'authenticated' || session.accountId === null) {
        return jsonReply(400, { error: 'invalid_request', error_description: 'No authenticated session' });
      }
      const code = auth.issueCode(session, session.accountId);
      return { status: 302, headers: { location: `${CALLBACK}?code=${code}&state=x` } };
    }
    const session = auth.createSession();
    session.codeChallenge = ctx.query.get('code_challenge');
    session.redirectUri = ctx.query.get('redirect_uri');
    session.hardwareId = ctx.query.get('hardware_id');
    auth.noteHardwareId(session.hardwareId);
    session.clientId = ctx.query.get('client_id');
    if (deps.authorizeRedirect()) {
      return { status: 302, headers: { location: '/oauth/v2/signin', ...sidCookie(session) } };
    }
    return html(200, signinPage(auth.newCsrf(session)), sidCookie(session));
  }

  function signinPageRoute(ctx: RouteContext): SimReply {
    const existing = sessionOf(ctx);
    const session = existing ?? auth.createSession();
    return html(200, signinPage(auth.newCsrf(session)), existing ? {} : sidCookie(session));
  }

  function signin(ctx: RouteContext): SimReply {
    const session = sessionOf(ctx);
    const form = parseForm(ctx.body);
    if (!session?.csrf || form.get('csrf-token') !== session.csrf) {
      return jsonReply(403, { error: 'invalid_csrf', error_description: 'Missing or stale CSRF token' });
    }
    const account = state.accountByEmail(form.get('username') ?? '');
    if (!account || account.password !== form.get('password')) {
      return jsonReply(401, { error: 'invalid_credentials', error_description: 'Invalid username or password' });
    }
    session.accountId = account.id;
    if (account.twoFactor === 'none') {
      session.stage = 'authenticated';
      return { status: 302, headers: { location: '/oauth/v2/authorize' } };
    }
    session.stage = 'pending-2fa';
    account.pin = auth.newPin();
    // Blink names where it sent the code; the other fields follow the channel.
    const where = account.twoFactorChannel === 'email' ? { email: 'o***r@example.com' } : { phone: '+1******0142' };
    const body = { tsv_state: 'required', tsv_methods: [account.twoFactorChannel], next_time_in_secs: 60, ...where, user_id: account.userId };
    return jsonReply(account.twoFactor === '412' ? 412 : 202, body);
  }

  function verify(ctx: RouteContext): SimReply {
    const session = sessionOf(ctx);
    const form = parseForm(ctx.body);
    if (!session?.csrf || form.get('csrf-token') !== session.csrf) {
      return jsonReply(403, { error: 'invalid_csrf', error_description: 'Missing or stale CSRF token' });
    }
    const account = session.accountId === null ? undefined : state.accounts.get(session.accountId);
    if (session.stage !== 'pending-2fa' || !account) {
      return jsonReply(400, { error: 'invalid_request', error_description: 'No verification pending' });
    }
    if (!account.pin || form.get('2fa_code') !== account.pin) {
      return jsonReply(400, { error: 'invalid_code', error_description: 'The verification code is invalid' });
    }
    account.pin = null;
    session.stage = 'authenticated';
    if (deps.verifyRedirect()) return { status: 302, headers: { location: '/oauth/v2/authorize' } };
    return jsonReply(201, { status: 'auth-completed' });
  }

  function token(ctx: RouteContext): SimReply {
    const form = parseForm(ctx.body);
    const grant = form.get('grant_type');
    auth.noteHardwareId(form.get('hardware_id'));
    if (grant === 'authorization_code') {
      const record = auth.takeCode(form.get('code') ?? '');
      if (!record) return invalidGrant('Unknown, used or expired code');
      if (form.get('client_id') !== 'ios' || (record.clientId !== null && record.clientId !== 'ios')) {
        return invalidGrant('client_id mismatch');
      }
      if (record.redirectUri !== null && form.get('redirect_uri') !== record.redirectUri) {
        return invalidGrant('redirect_uri mismatch');
      }
      const hardwareId = form.get('hardware_id');
      if (record.hardwareId !== null && hardwareId !== null && hardwareId !== record.hardwareId) {
        return invalidGrant('hardware_id mismatch');
      }
      const verifier = form.get('code_verifier') ?? '';
      const challenge = createHash('sha256').update(verifier, 'ascii').digest('base64url');
      if (!record.codeChallenge || challenge !== record.codeChallenge) return invalidGrant('PKCE verification failed');
      return jsonReply(200, tokenBody(auth.issue(record.accountId)));
    }
    if (grant === 'refresh_token') {
      const clientId = form.get('client_id');
      if (clientId !== 'ios' && clientId !== 'android') return invalidGrant('Unknown client_id');
      const tokens = auth.rotate(form.get('refresh_token') ?? '');
      return tokens ? jsonReply(200, tokenBody(tokens)) : invalidGrant('The refresh token is invalid, expired or revoked.');
    }
    return jsonReply(401, { error: 'unsupported_grant_type', error_description: `Grant ${grant ?? '(none)'} is not supported` });
  }

  return [
    route('GET', '/oauth/v2/authorize', authorize),
    route('GET', '/oauth/v2/signin', signinPageRoute),
    route('POST', '/oauth/v2/signin', signin),
    route('POST', '/oauth/v2/2fa/verify', verify),
    route('POST', '/oauth/token', token),
  ];
}
