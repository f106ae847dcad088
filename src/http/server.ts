/**
 * The operations endpoint (HTTP_PORT): GET /healthz and GET /metrics on 127.0.0.1 only.
 * Nothing else is served; no request reaches the bot's core.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Service } from '../app/lifecycle.js';
import type { Logger } from '../log.js';
import { checkHealth, type HealthDeps } from './health.js';

export interface OpsServerDeps {
  /** 0 picks a free port (tests). */
  port: number;
  /** Default 127.0.0.1: the endpoint is for the host and its container runtime only. */
  host?: string;
  health: HealthDeps;
  metrics: { render(): Promise<string>; contentType: string };
  log: Logger;
}

export interface OpsServer extends Service {
  /** `http://127.0.0.1:PORT` once started. */
  url(): string;
}

export function createOpsServer(deps: OpsServerDeps): OpsServer {
  const host = deps.host ?? '127.0.0.1';
  let server: Server | undefined;
  let address: AddressInfo | undefined;

  const handle = async (method: string, path: string): Promise<{ status: number; type: string; body: string }> => {
    if (method !== 'GET' && method !== 'HEAD') return { status: 405, type: 'text/plain', body: 'method not allowed\n' };
    if (path === '/healthz') {
      const report = checkHealth(deps.health);
      return { status: report.ok ? 200 : 503, type: 'application/json', body: `${JSON.stringify(report)}\n` };
    }
    if (path === '/metrics') return { status: 200, type: deps.metrics.contentType, body: await deps.metrics.render() };
    return { status: 404, type: 'text/plain', body: 'not found\n' };
  };

  return {
    name: 'http',
    url: () => (address ? `http://${host}:${address.port}` : ''),
    async start() {
      const s = createServer((req, res) => {
        const path = (req.url ?? '/').split('?')[0] ?? '/';
        handle(req.method ?? 'GET', path).then(
          (r) => {
            res.writeHead(r.status, { 'content-type': r.type, 'cache-control': 'no-store' });
            res.end(req.method === 'HEAD' ? undefined : r.body);
          },
          (err: unknown) => {
            deps.log.error({ err }, 'ops endpoint failed');
            res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error\n');
          },
        );
      });
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.listen(deps.port, host, () => {
          s.off('error', reject);
          resolve();
        });
      });
      const a = s.address();
      if (a === null || typeof a === 'string') throw new Error('ops server is not on a TCP port');
      address = a;
      server = s;
      deps.log.info({ url: `http://${host}:${a.port}` }, 'serving /healthz and /metrics');
    },
    async stop() {
      const s = server;
      server = undefined;
      if (!s) return;
      await new Promise<void>((resolve) => {
        s.close(() => resolve());
        s.closeAllConnections();
      });
    },
  };
}
