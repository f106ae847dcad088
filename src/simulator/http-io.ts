import type { IncomingMessage, ServerResponse } from 'node:http';

/** What a route handler returns; the server writes it (and faults may bend it). */
export interface SimReply {
  status: number;
  headers?: Record<string, string>;
  /** Small bodies. */
  body?: Buffer | string;
  /** Large bodies, produced chunk by chunk so they never sit in memory whole. */
  stream?: { length: number; chunks: () => Iterable<Buffer> };
}

export function jsonReply(status: number, body: unknown, headers: Record<string, string> = {}): SimReply {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

export function bytesReply(contentType: string, body: Buffer): SimReply {
  return { status: 200, headers: { 'content-type': contentType }, body };
}

const UNAUTHORIZED_BODY = { message: 'Unauthorized Access', code: 101 } as const;
export const BUSY_BODY = { message: 'System is busy, please wait', code: 307 } as const;

export const unauthorized = (): SimReply => jsonReply(401, UNAUTHORIZED_BODY);
export const notFound = (message = 'Not found'): SimReply => jsonReply(404, { message, code: 404 });
export const notAcceptable = (): SimReply => jsonReply(406, { message: 'Not Acceptable', code: 406 });
export const badRequest = (message: string): SimReply => jsonReply(400, { message, code: 400 });

const MAX_BODY = 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  let total = 0;
  for await (const chunk of req) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    total += buf.length;
    if (total > MAX_BODY) throw new Error('request body too large');
    parts.push(buf);
  }
  return Buffer.concat(parts);
}

export function parseForm(body: Buffer): URLSearchParams {
  return new URLSearchParams(body.toString('utf8'));
}

export function cookieValue(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

/**
 * Writes a reply with Content-Length. With `truncateAfterBytes`, the full length is still
 * announced but the socket is destroyed after that many body bytes: a mid-body drop.
 */
export async function writeReply(res: ServerResponse, reply: SimReply, truncateAfterBytes?: number): Promise<void> {
  const body = reply.body === undefined ? undefined : Buffer.isBuffer(reply.body) ? reply.body : Buffer.from(reply.body);
  const length = reply.stream ? reply.stream.length : (body?.length ?? 0);
  res.writeHead(reply.status, { ...reply.headers, 'content-length': String(length) });
  const limit = truncateAfterBytes ?? Number.POSITIVE_INFINITY;
  const chunks: Iterable<Buffer> = reply.stream ? reply.stream.chunks() : body ? [body] : [];
  let sent = 0;
  let closed = false;
  res.once('close', () => {
    closed = true;
  });
  for (const chunk of chunks) {
    if (closed) return;
    const room = limit - sent;
    const piece = room < chunk.length ? chunk.subarray(0, Math.max(0, room)) : chunk;
    sent += piece.length;
    if (sent >= limit) {
      await new Promise<void>((resolve) => res.write(piece, () => resolve()));
      res.destroy();
      return;
    }
    if (!res.write(piece)) await drainOrClose(res);
  }
  if (limit === 0 || (limit < Number.POSITIVE_INFINITY && sent >= limit)) {
    await new Promise<void>((resolve) => res.write(Buffer.alloc(0), () => resolve()));
    res.destroy();
    return;
  }
  if (!closed) res.end();
}

/** Waits for backpressure to clear (or the client to go), leaving no listeners behind. */
function drainOrClose(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
