import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAuthStore } from './auth-store.js';
import { createCommandBook } from './commands.js';
import { createControl, type SimControl } from './control.js';
import { handleControlRequest } from './control-http.js';
import { createFaultBook } from './faults.js';
import { SIM_IMMIS_CERT } from './immis-cert.js';
import { startImmisServer, type ImmisFault, type ImmisStats } from './immis-server.js';
import { jsonReply, notFound, readBody, writeReply, type SimReply } from './http-io.js';
import { createMediaLibrary } from './media-library.js';
import { createOAuthRoutes } from './oauth-routes.js';
import { createRequestLog, type LoggedRequest } from './request-log.js';
import { createAccountRoutes } from './rest-account-routes.js';
import { createCameraRoutes } from './rest-camera-routes.js';
import type { RestDeps } from './rest-context.js';
import { createLocalStorageRoutes } from './rest-local-storage-routes.js';
import { createMediaRoutes } from './rest-media-routes.js';
import { matchRoute, type Route } from './router.js';
import { createDefaultSeed } from './seed.js';
import { createSimState, type SimState } from './state.js';
import type { MediaSource, SimSeed } from './types.js';

export interface BlinkSimulatorOptions {
  /** Default 0 (a free port). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Epoch ms; default Date.now. `advanceClock` adds on top. */
  now?: () => number;
  /** Default: `createDefaultSeed(now())`, the fixture account. `{accounts: []}` for none. */
  seed?: SimSeed | ((nowMs: number) => SimSeed);
  /** Status polls before a command reports complete. Default 1 (the first poll completes). */
  commandPolls?: number;
  /** Access token lifetime. Default 14400 s. */
  tokenLifetimeSec?: number;
  /** media/changed page size. Default 25. */
  mediaPageSize?: number;
  /**
   * Default declared clip size in bytes (64 KiB). A clip is served as its real MP4 (~80 KB),
   * padded up to a larger size with a trailing `free` box.
   */
  clipSize?: number;
  /** Let a rotated refresh token be used again. Default false. */
  acceptOldRefreshTokens?: boolean;
  /** true (default): authorize with a query answers 302 to signin; false: 200 with the page. */
  authorizeRedirect?: boolean;
  /** Serve `/__sim/*` control routes. Default true. */
  httpControl?: boolean;
  /**
   * Called synchronously for each logged request, after its handler ran (a token rotated,
   * a command started) and before a byte of the reply is written: a test can act at that
   * exact moment, e.g. SIGKILL a client right after /oauth/token answered 200 (F9).
   */
  onRequest?: (entry: LoggedRequest) => void;
  /** Live view media seconds per real second. Default 1 (real time); tests go faster. */
  liveSpeed?: number;
  /** The relay drops a client without keep-alives for this long. Default 30 s. */
  immisKeepAliveTimeoutMs?: number;
  /** `/record`: the new clip appears this long after the command completed (default 2 s), with this source (default 'snapshot'). */
  recordDelayMs?: number;
  recordSource?: MediaSource;
}

export interface BlinkSimulator extends SimControl {
  /** `http://127.0.0.1:PORT`: the OAuth host, and the root of the REST prefixes. */
  url: string;
  oauthUrl: string;
  /** `http://127.0.0.1:PORT/rest-{tier}`: replace `{tier}`. */
  restUrlTemplate: string;
  restUrl(tier: string): string;
  /** The immis relay's certificate (PEM): trust it as a CA for live view, test-only. */
  immisCa: string;
  /** The immis relay's host, to allow it past the live view host rule. */
  immisHost: string;
  /** The next immis connection fails this way. */
  immisFault(kind: ImmisFault): void;
  immisStats(): ImmisStats;
  /** Live state, for assertions (mutate through the control methods). */
  state: SimState;
  now(): number;
  close(): Promise<void>;
}

const REST_PREFIX = /^\/rest-([a-z0-9]+)(\/.*)?$/;

export async function startBlinkSimulator(options: BlinkSimulatorOptions = {}): Promise<BlinkSimulator> {
  const baseNow = options.now ?? Date.now;
  let offset = 0;
  const now = (): number => baseNow() + offset;
  let authorizeRedirect = options.authorizeRedirect ?? true;

  const state = createSimState({ now, defaultClipSize: options.clipSize });
  const seed = options.seed ?? createDefaultSeed;
  state.load(typeof seed === 'function' ? seed(now()) : seed);
  const auth = createAuthStore({
    now,
    tokenLifetimeSec: options.tokenLifetimeSec ?? 14_400,
    acceptOldRefreshTokens: options.acceptOldRefreshTokens ?? false,
  });
  const commands = createCommandBook({
    state,
    polls: options.commandPolls ?? 1,
    record: {
      ...(options.recordDelayMs !== undefined ? { delayMs: options.recordDelayMs } : {}),
      ...(options.recordSource !== undefined ? { source: options.recordSource } : {}),
    },
  });
  const host = options.host ?? '127.0.0.1';
  const immis = await startImmisServer({
    host,
    now,
    ...(options.liveSpeed !== undefined ? { speed: options.liveSpeed } : {}),
    ...(options.immisKeepAliveTimeoutMs !== undefined ? { keepAliveTimeoutMs: options.immisKeepAliveTimeoutMs } : {}),
  });
  const media = createMediaLibrary(state);
  const faults = createFaultBook();
  const log = createRequestLog();
  const control = createControl({
    state,
    auth,
    commands,
    faults,
    log,
    media,
    setAuthorizeRedirect: (r) => {
      authorizeRedirect = r;
    },
    advanceClock: (ms) => {
      offset += ms;
    },
  });

  const restDeps: RestDeps = { state, auth, commands, media, mediaPageSize: options.mediaPageSize ?? 25, openLiveStream: immis.open };
  const oauthRoutes: Route[] = createOAuthRoutes({ state, auth, authorizeRedirect: () => authorizeRedirect });
  const restRoutes: Route[] = [
    ...createAccountRoutes(restDeps),
    ...createCameraRoutes(restDeps),
    ...createMediaRoutes(restDeps),
    ...createLocalStorageRoutes(restDeps),
  ];
  const hanging = new Set<ServerResponse>();
  const httpControl = options.httpControl ?? true;

  async function dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const fullPath = q >= 0 ? rawUrl.slice(0, q) : rawUrl;
    const rawQuery = q >= 0 ? rawUrl.slice(q + 1) : '';
    const body = await readBody(req);

    if (httpControl && fullPath.startsWith('/__sim/')) {
      await writeReply(res, handleControlRequest(control, method, fullPath.slice('/__sim/'.length), body));
      return;
    }

    const rest = REST_PREFIX.exec(fullPath);
    const tier = rest ? (rest[1] ?? null) : null;
    const path = rest ? (rest[2] ?? '/') : fullPath;
    const match = matchRoute(rest ? restRoutes : oauthRoutes, method, path);
    const routeClass = `${method} ${match ? match.route.template.replace(/\/$/, '') : '(unmatched)'}`;
    const entry = { method, path: fullPath, routeClass, status: 0, time: now() };

    const plan = faults.take(method, fullPath);
    if (plan.delayMs > 0) await new Promise((r) => setTimeout(r, plan.delayMs));
    if (plan.kind === 'hang') {
      log.record(entry);
      options.onRequest?.(entry);
      hanging.add(res);
      res.once('close', () => hanging.delete(res));
      return;
    }
    let reply: SimReply;
    if (plan.kind === 'reply') reply = plan.reply;
    else if (!match) reply = notFound(`No route for ${method} ${path}`);
    else {
      try {
        reply = await match.route.handle({
          req,
          method,
          path,
          rawQuery,
          query: new URLSearchParams(rawQuery),
          params: match.params,
          body,
          tier,
        });
      } catch (err) {
        reply = jsonReply(500, { message: err instanceof Error ? err.message : 'Internal error', code: 500 });
      }
    }
    entry.status = reply.status;
    log.record(entry);
    options.onRequest?.(entry);
    // Date from the simulator's own clock (Node would stamp the host's): clients that read
    // Blink's server time (F14 baseline) must see the cloud's clock, skew included.
    reply = { ...reply, headers: { date: new Date(now()).toUTCString(), ...reply.headers } };
    await writeReply(res, reply, plan.truncateAfterBytes);
  }

  const server = createServer((req, res) => {
    dispatch(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address: AddressInfo | string | null = server.address();
  if (address === null || typeof address === 'string') throw new Error('simulator is not on a TCP port');
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;

  return {
    ...control,
    url,
    oauthUrl: url,
    restUrlTemplate: `${url}/rest-{tier}`,
    restUrl: (tier) => `${url}/rest-${tier}`,
    immisCa: SIM_IMMIS_CERT,
    immisHost: host,
    immisFault: (kind) => immis.fault(kind),
    immisStats: () => immis.stats(),
    state,
    now,
    close: () =>
      Promise.all([
        new Promise<void>((resolve) => {
          for (const res of hanging) res.destroy();
          server.close(() => resolve());
          server.closeAllConnections();
        }),
        immis.close(),
      ]).then(() => commands.close()),
  };
}
