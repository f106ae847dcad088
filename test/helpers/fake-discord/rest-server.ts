// The REST half of the fake: parses a request (JSON or multipart), applies auth and
// injected faults, dispatches to a route handler and records the call.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { channelRoutes } from './channel-routes.js';
import { commandRoutes } from './command-routes.js';
import { rateLimitHeaders, type Faults } from './faults.js';
import { interactionRoutes } from './interaction-routes.js';
import { filesFromParts } from './messages.js';
import { boundaryOf, createMultipartReader, type MultipartPart } from './multipart.js';
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
    .map((segment) => {
      if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(segment.slice(1));
      return '([^/]+)';
    })
    .join('/');
  return { def, key: `${def.method} ${def.pattern}`, regex: new RegExp(`^${source}$`), names };
}

/** What the body turned out to be: JSON text, or the multipart parts read as they came. */
type ReadBody = { kind: 'whole'; raw: Buffer } | { kind: 'multipart'; parts: MultipartPart[] } | { kind: 'aborted'; receivedBytes: number; cut: boolean };

/**
 * Reads the request body as it arrives: multipart parts go through the streaming reader (big
 * files counted, not kept), anything else is kept whole. `cutAfterBytes` closes the
 * connection once that many bytes came in, as a network cut mid-upload would.
 */
function readBody(req: IncomingMessage, state: FakeState, cutAfterBytes: number | undefined): Promise<ReadBody> {
  const contentType = req.headers['content-type'] ?? '';
  const boundary = contentType.startsWith('multipart/form-data') ? boundaryOf(contentType) : undefined;
  const reader = boundary === undefined ? undefined : createMultipartReader(boundary, state.options.keepAttachmentBytesUpTo);
  const chunks: Buffer[] = [];
  let received = 0;
  return new Promise((resolve) => {
    let settled = false;
    const settle = (result: ReadBody): void => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    req.on('data', (chunk: Buffer) => {
      if (settled) return;
      received += chunk.length;
      state.bodyBytesReceived += chunk.length;
      if (reader !== undefined) reader.write(chunk);
      else chunks.push(chunk);
      if (cutAfterBytes !== undefined && received >= cutAfterBytes) {
        settle({ kind: 'aborted', receivedBytes: received, cut: true });
        req.socket.destroy();
      }
    });
    req.on('end', () => settle(reader !== undefined ? { kind: 'multipart', parts: reader.end() } : { kind: 'whole', raw: Buffer.concat(chunks) }));
    // The client went away mid-body (it aborted an upload over its limit, or the network broke).
    req.on('error', () => settle({ kind: 'aborted', receivedBytes: received, cut: false }));
    req.on('close', () => settle({ kind: 'aborted', receivedBytes: received, cut: false }));
  });
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
    let body: unknown;
    let files = new Map<string, RecordedAttachment>();
    let result: RouteResult;
    let headers: Record<string, string> = {};
    let key = `${method} ${route}`;
    let params: Record<string, string> = {};

    const match = routes.find((r) => r.def.method === method && r.regex.test(route));
    if (match !== undefined) {
      key = match.key;
      const values = match.regex.exec(route)?.slice(1) ?? [];
      params = Object.fromEntries(match.names.map((name, i) => [name, decodeURIComponent(values[i] ?? '')]));
    }
    const authorized = match === undefined || !match.def.auth || req.headers.authorization === `Bot ${state.botToken}`;
    const fault = match === undefined ? undefined : faults.take(key, params);
    const read = await readBody(req, state, authorized ? fault?.cutAfterBytes : undefined);
    if (read.kind === 'aborted') {
      state.abortedCalls.push({ method, route: key, params, receivedBytes: read.receivedBytes, cut: read.cut, at: Date.now() });
      state.changes.emit('change');
      return;
    }

    try {
      if (read.kind === 'multipart') {
        const payload = read.parts.find((p) => p.name === 'payload_json');
        body = payload === undefined ? undefined : parseJson(payload.data.toString('utf8'));
        files = filesFromParts(read.parts, state.newId);
      } else {
        body = parseJson(read.raw.toString('utf8'));
      }
      if (match === undefined) {
        result = { status: 404, body: { message: '404: Not Found', code: 0 } };
      } else if (!authorized) {
        result = { status: 401, body: { message: '401: Unauthorized', code: 0 } };
      } else if (fault !== undefined) {
        result = { status: fault.status, body: fault.body };
        headers = fault.headers;
      } else {
        result = match.def.handle({ state, params, query, body, files });
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
