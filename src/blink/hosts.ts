/**
 * Where a request may go: the configured OAuth host, or the REST host of a tier that is a
 * plain host label. A tier from tier_info is pasted into a URL, so one like
 * `u011@attacker:443/` would send every later request and its Bearer token elsewhere; it is
 * refused here, and every request (redirects included) is checked against these hosts.
 * See docs/blink-api.md, "Tiers and hosts".
 */
import { BlinkProtocolError } from '../errors.js';
import type { BlinkUrls } from './types.js';

/** What Blink's tiers look like (u011, e006, prod): a host label, nothing else. */
export const TIER_PATTERN = /^[a-z0-9-]{1,32}$/;

function isTier(value: string): boolean {
  return TIER_PATTERN.test(value);
}

/** REST base for a tier: the template with `{tier}` replaced, no trailing slash. */
export function restBase(template: string, tier: string): string {
  if (!isTier(tier)) throw new BlinkProtocolError('users/tier_info', ['tier'], 'Blink named a tier that is not a host name');
  return template.replaceAll('{tier}', tier).replace(/\/+$/, '');
}

export interface HostPolicy {
  /** True when `url` is on the OAuth host or under the REST base of a valid tier. */
  allows(url: string | URL): boolean;
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function createHostPolicy(urls: BlinkUrls): HostPolicy {
  const oauth = new URL(urls.oauth);
  // Both sides are compared after URL parsing (case, default ports), so user info, an odd
  // port or a path trick never match. The slot stands in for `{tier}` while parsing.
  const slot = 'blinktierslot';
  const parsedTemplate = new URL(urls.restTemplate.replaceAll('{tier}', slot));
  const template = `${parsedTemplate.origin}${parsedTemplate.pathname}`.replace(/\/+$/, '');
  const rest = new RegExp(`^${template.split(slot).map(escapeRegExp).join('[a-z0-9-]{1,32}')}(?:/|$)`);
  return {
    allows(url) {
      let parsed: URL;
      try {
        parsed = typeof url === 'string' ? new URL(url) : url;
      } catch {
        return false;
      }
      if (parsed.username !== '' || parsed.password !== '') return false;
      if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return false;
      if (parsed.origin === oauth.origin) return true;
      return rest.test(`${parsed.origin}${parsed.pathname}`);
    },
  };
}
