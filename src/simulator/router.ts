import type { IncomingMessage } from 'node:http';
import type { SimReply } from './http-io.js';

export interface RouteContext {
  req: IncomingMessage;
  method: string;
  /** Path inside its host (REST: without the `/rest-{tier}` prefix). */
  path: string;
  /** Query exactly as sent: `since` needs the raw `+` (docs/blink-api.md, "Clips and media"). */
  rawQuery: string;
  query: URLSearchParams;
  params: Record<string, string>;
  body: Buffer;
  /** REST tier from the `/rest-{tier}` prefix; null on the OAuth host. */
  tier: string | null;
}

export type Handler = (ctx: RouteContext) => SimReply | Promise<SimReply>;

export interface Route {
  method: string;
  /** Path template with `:param` segments; also the route class in request counts. */
  template: string;
  handle: Handler;
  regex: RegExp;
  names: string[];
}

export function route(method: string, template: string, handle: Handler): Route {
  const names: string[] = [];
  const pattern = template
    .replace(/\/$/, '')
    .split('/')
    .map((seg) => {
      if (!seg.startsWith(':')) return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(seg.slice(1));
      return '([^/]+)';
    })
    .join('/');
  // A trailing slash is optional everywhere: blinkpy sends one only on command done.
  return { method, template, handle, regex: new RegExp(`^${pattern}/?$`), names };
}

export function matchRoute(routes: readonly Route[], method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
  for (const r of routes) {
    if (r.method !== method) continue;
    const m = r.regex.exec(path);
    if (!m) continue;
    const params: Record<string, string> = {};
    r.names.forEach((name, i) => {
      params[name] = decodeURIComponent(m[i + 1] ?? '');
    });
    return { route: r, params };
  }
  return undefined;
}
