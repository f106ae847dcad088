/**
 * A tiny cookie jar for one OAuth login attempt. undici keeps no cookies, and the OAuth web
 * flow depends on the session cookie (docs/blink-api.md, "Login and OAuth"). Cookies are
 * host-only: one set by a host goes back to that exact host (scheme, name and port) and
 * nowhere else, whatever its Domain attribute says; a Secure one only over https. IP hosts
 * are kept on purpose: tests reach the fake as 127.0.0.1.
 */
export interface CookieJar {
  /** Stores the Set-Cookie headers of a response from `url`. */
  store(url: string, setCookie: string | string[] | undefined): void;
  /** The Cookie header for a request to `url`, or undefined. */
  header(url: string): string | undefined;
}

interface Cookie {
  name: string;
  value: string;
  path: string;
  secure: boolean;
  expiresAt: number | undefined;
}

export function createCookieJar(now: () => number): CookieJar {
  /** origin → name → cookie. */
  const byOrigin = new Map<string, Map<string, Cookie>>();
  return {
    store(url, setCookie) {
      if (setCookie === undefined) return;
      const origin = new URL(url).origin;
      const cookies = byOrigin.get(origin) ?? new Map<string, Cookie>();
      byOrigin.set(origin, cookies);
      const lines = Array.isArray(setCookie) ? setCookie : [setCookie];
      for (const line of lines) {
        const [pair, ...attrs] = line.split(';');
        const eq = pair?.indexOf('=') ?? -1;
        if (!pair || eq <= 0) continue;
        const name = pair.slice(0, eq).trim();
        const value = pair.slice(eq + 1).trim();
        let path = '/';
        let secure = false;
        let expiresAt: number | undefined;
        for (const attr of attrs) {
          const [k = '', v = ''] = attr.split('=').map((s) => s.trim());
          const key = k.toLowerCase();
          if (key === 'path' && v.startsWith('/')) path = v;
          if (key === 'secure') secure = true;
          if (key === 'max-age' && /^-?\d+$/.test(v)) expiresAt = now() + Number(v) * 1000;
          if (key === 'expires' && expiresAt === undefined) {
            const at = Date.parse(v);
            if (!Number.isNaN(at)) expiresAt = at;
          }
        }
        if (expiresAt !== undefined && expiresAt <= now()) cookies.delete(name);
        else cookies.set(name, { name, value, path, secure, expiresAt });
      }
    },
    header(url) {
      const target = new URL(url);
      const cookies = byOrigin.get(target.origin);
      if (!cookies) return undefined;
      const parts: string[] = [];
      for (const c of cookies.values()) {
        if (c.expiresAt !== undefined && c.expiresAt <= now()) continue;
        if (c.secure && target.protocol !== 'https:') continue;
        if (c.path === '/' || target.pathname === c.path || target.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`)) {
          parts.push(`${c.name}=${c.value}`);
        }
      }
      return parts.length > 0 ? parts.join('; ') : undefined;
    },
  };
}
