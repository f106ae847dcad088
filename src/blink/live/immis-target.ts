/**
 * The immis:// address Blink hands out for a live view, and the rule for which hosts we
 * connect to. See docs/blink-api.md, "Live view".
 *
 * The host comes from Blink's answer, not from our configuration, so it is checked before any
 * socket opens: a name under Blink's own domains, or a public IP address (Blink answers with
 * the bare address of its stream relay), on port 443. Loopback, private, link-local and other
 * special addresses are refused, so a forged or garbled answer cannot point the bot into the
 * local network. Tests name the simulator's host in `allowedHosts`.
 */
import { isIP } from 'node:net';
import { BlinkLiveError } from '../../errors.js';

export interface ImmisTarget {
  host: string;
  port: number;
  /** The path part before `__`; sent in the auth header. */
  connectionId: string;
  /** The camera serial after `__IMDS_`. */
  serial: string;
  clientId: number;
}

/** DNS suffixes of Blink's own hosts. */
const BLINK_DOMAINS = ['.immedia-semi.com', '.immedia.net', '.blink.com'];

export function parseImmisUrl(server: string): ImmisTarget {
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new BlinkLiveError('host', 'Blink named a live view server that is not a URL');
  }
  if (url.protocol !== 'immis:') throw new BlinkLiveError('host', 'Blink named a live view server that is not immis://');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = url.port === '' ? 443 : Number(url.port);
  const last = url.pathname.split('/').pop() ?? '';
  const [connectionId = '', rest = ''] = last.split('__');
  const serial = rest.startsWith('IMDS_') ? rest.slice(5) : rest;
  const clientId = Number(url.searchParams.get('client_id') ?? '0');
  if (host === '' || connectionId === '' || !Number.isInteger(clientId) || clientId < 0 || clientId > 0xffffffff) {
    throw new BlinkLiveError('host', 'Blink named a live view server we cannot read');
  }
  return { host, port, connectionId: decodeURIComponent(connectionId), serial: decodeURIComponent(serial), clientId };
}

/**
 * True when we may connect: `host` or `host:port` listed in `allowed`, or a Blink-looking host
 * (see the file comment) on port 443.
 */
export function immisHostAllowed(target: Pick<ImmisTarget, 'host' | 'port'>, allowed: readonly string[] = []): boolean {
  const host = target.host.toLowerCase();
  if (allowed.some((a) => a.toLowerCase() === host || a.toLowerCase() === `${host}:${target.port}`)) return true;
  if (target.port !== 443) return false;
  if (isIP(host) === 0) return BLINK_DOMAINS.some((d) => host.endsWith(d));
  return isPublicAddress(host);
}

function isPublicAddress(ip: string): boolean {
  if (isIP(ip) === 4) {
    const [a = 0, b = 0] = ip.split('.').map(Number);
    if (a === 0 || a === 10 || a === 127 || a >= 224) return false;
    if (a === 100 && b >= 64 && b < 128) return false; // carrier-grade NAT
    if (a === 169 && b === 254) return false;
    if (a === 172 && b >= 16 && b < 32) return false;
    if (a === 192 && b === 168) return false;
    if (a === 198 && (b === 18 || b === 19)) return false; // benchmarking
    return true;
  }
  const v6 = ip.toLowerCase();
  if (v6 === '::' || v6 === '::1') return false;
  if (v6.startsWith('::ffff:')) return isPublicAddress(v6.slice(7));
  // Unique local fc00::/7, link-local fe80::/10, multicast ff00::/8.
  return !/^(f[cd]|fe[89ab]|ff)/.test(v6);
}
