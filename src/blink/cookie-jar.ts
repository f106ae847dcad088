/**
 * A tiny cookie jar for one OAuth login attempt (one host). undici keeps no cookies, and the
 * OAuth web flow depends on the session cookie (docs/blink-api.md, "Headers"). IP hosts are kept on
 * purpose: tests reach the fake as 127.0.0.1.
 */
export interface CookieJar {
  /** Stores the Set-Cookie headers of a response from `url`. */
  store(url: string, setCookie: string | string[] | undefined): void;
  /** The Cookie header for a request to `url`, or undefined. */
  header(url: string): string | undefined;
}

interface Cookie {
  value: string;
  path: string;
  expiresAt: number | undefined;
}

export function createCookieJar(now: () => number): CookieJar {
  const cookies = new Map<string, Cookie>();
  return {
    store(url, setCookie) {
      if (setCookie === undefined) return;
      const lines = Array.isArray(setCookie) ? setCookie : [setCookie];
      for (const line of lines) {
        const [pair, ...attrs] = line.split(';');
        const eq = pair?.indexOf('=') ?? -1;
        if (!pair || eq <= 0) continue;
        const name = pair.slice(0, eq).trim();
        const value = pair.slice(eq + 1).trim();
        let path = '/';
        let expiresAt: number | undefined;
        for (const attr of attrs) {
          const [k = '', v = ''] = attr.split('=').map((s) => s.trim());
          const key = k.toLowerCase();
          if (key === 'path' && v.startsWith('/')) path = v;
          if (key === 'max-age' && /^-?\d+$/.test(v)) expiresAt = now() + Number(v) * 1000;
          if (key === 'expires' && expiresAt === undefined) {
            const at = Date.parse(v);
            if (!Number.isNaN(at)) expiresAt = at;
          }
        }
        if (expiresAt !== undefined && expiresAt <= now()) cookies.delete(name);
        else cookies.set(name, { value, path, expiresAt });
      }
      void url;
    },
    header(url) {
      const path = new URL(url).pathname;
      const parts: string[] = [];
      for (const [name, c] of cookies) {
        if (c.expiresAt !== undefined && c.expiresAt <= now()) continue;
        if (path.startsWith(c.path) || c.path === '/') parts.push(`${name}=${c.value}`);
      }
      return parts.length > 0 ? parts.join('; ') : undefined;
    },
  };
}
