// The REST half of the fake: parses a request (JSON or multipart), applies auth and
// injected faults, dispatches to a route handler and records the call.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { channelRoutes } from './channel-routes.js';
import { commandRoutes } from './command-routes.js';
import { rateLimitHeaders, type Faults } from './faults.js';
import { interactionRoutes } from './interaction-routes.js';
import { filesFromParts } from './messages.js';
import { boundaryOf, parseMultipart } from './multipart.js';
import type { RouteDef, RouteResult } from './route-types.js';
import type { FakeState } from './state.js';
import type { RecordedAttachment } from './types.js';

interface CompiledRoute {
  def: RouteDef;
  key: string;
  regex: RegExp;
  names: string[];
}

function compile(def: RouteDef): CompiledRoute {
  const names: string[] = [];
  const source = def.pattern
    .split('/')
    .map(segment => {
      if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(segment.slice(1));
      return '([^/]+)';
    })
    .join('/');
  return { def, key: `${def.method} ${def.pattern}`, regex: new RegExp(`^${source}$`), names };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks);
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  const value: unknown = JSON.parse(text);
  return value;
}

export type RestHandler = (req: IncomingMessage, res: ServerResponse, path: string) => Promise<void>;

export function createRestHandler(deps: { state: FakeState; faults: Faults; gatewayUrl: () => string }): RestHandler {
  const { state, faults } = deps;
  const routes = [...channelRoutes(deps.gatewayUrl), ...commandRoutes(), ...interactionRoutes()].map(compile);

  return async (req, res, path) => {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(path, 'http://fake');
    const route = url.pathname.replace(/^\/v\d+(?=\/)/, '');
    const query = Object.fromEntries(url.searchParams);
    const raw = await readBody(req);

    let body: unknown;
    let files = new Map<string, RecordedAttachment>();
    let result: RouteResult;
    let headers: Record<string, string> = {};
    let key = `${method} ${route}`;
    let params: Record<string, string> = {};

    try {
      const contentType = req.headers['content-type'] ?? '';
      const boundary = contentType.startsWith('multipart/form-data') ? boundaryOf(contentType) : undefined;
      if (boundary !== undefined) {
        const parts = parseMultipart(raw, boundary);
        const payload = parts.find(p => p.name === 'payload_json');
        body = payload === undefined ? undefined : parseJson(payload.data.toString('utf8'));
        files = filesFromParts(parts, state.newId);
      } else {
        body = parseJson(raw.toString('utf8'));
      }
      const match = routes.find(r => r.def.method === method && r.regex.test(route));
      if (match === undefined) {
        result = { status: 404, body: { message: '404: Not Found', code: 0 } };
      } else {
        key = match.key;
        const values = match.regex.exec(route)?.slice(1) ?? [];
        params = Object.fromEntries(match.names.map((name, i) => [name, decodeURIComponent(values[i] ?? '')]));
        const fault = faults.take(key, params);
        if (match.def.auth && req.headers.authorization !== `Bot ${state.botToken}`) {
          result = { status: 401, body: { message: '401: Unauthorized', code: 0 } };
        } else if (fault !== undefined) {
          result = { status: fault.status, body: fault.body };
          headers = fault.headers;
        } else {
          result = match.def.handle({ state, params, query, body, files });
        }
      }
    } catch (error) {
      result = { status: error instanceof SyntaxError ? 400 : 500, body: { message: String(error), code: 0 } };
    }

    state.calls.push({ method, path: url.pathname, route: key, params, query, status: result.status, body, files: [...files.values()], at: Date.now() });
    state.changes.emit('change');
    const payload = result.body === undefined ? '' : JSON.stringify(result.body);
    res.writeHead(result.status, {
      ...rateLimitHeaders(key),
      ...headers,
      ...(payload === '' ? {} : { 'content-type': 'application/json' }),
      'content-length': String(Buffer.byteLength(payload)),
    });
    res.end(payload);
  };
}
