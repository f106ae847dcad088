import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { boundaryOf, parseMultipart, type ReceivedFile } from './multipart.js';
import type { Params, RecordedFile, Transport } from './types.js';
import { BotApiError } from './bot-api-error.js';

const jsonObject = z.record(z.string(), z.unknown());

/** Integer-valued parameters that arrive as strings through forms and multipart. */
const NUMERIC_KEYS = new Set(['offset', 'limit', 'timeout', 'duration', 'width', 'height', 'cache_time', 'until_date']);

/**
 * Form, multipart and query values are all strings; the real server reads them as JSON
 * where the method expects objects, numbers or booleans. We decode the unambiguous cases
 * so that tests compare `params.chat_id` with a number whatever the transport.
 */
function decodeValue(key: string, value: string): unknown {
  const t = value.trim();
  if ((t.startsWith('{') && t.endsWith('}')) || (t.startsWith('[') && t.endsWith(']'))) {
    try {
      return JSON.parse(t) as unknown;
    } catch {
      return value;
    }
  }
  if (t === 'true') return true;
  if (t === 'false') return false;
  if ((key.endsWith('_id') || NUMERIC_KEYS.has(key)) && /^-?\d{1,16}$/.test(t)) return Number(t);
  return value;
}

function decodeAll(entries: Iterable<[string, string]>): Params {
  const out: Params = {};
  for (const [k, v] of entries) out[k] = decodeValue(k, v);
  return out;
}

async function readAll(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const raw of req) {
    const chunk = Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw));
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
  }
  if (size > limit) throw new BotApiError(413, 'Request Entity Too Large');
  return Buffer.concat(chunks);
}

/** Finds where each file part was referenced: `attach://<part>` anywhere, or a direct part name. */
function bindFiles(params: Params, received: readonly ReceivedFile[]): RecordedFile[] {
  const refs = new Map<string, string>();
  const walk = (value: unknown, path: string): void => {
    if (typeof value === 'string' && value.startsWith('attach://')) {
      refs.set(value.slice('attach://'.length), path);
    } else if (Array.isArray(value)) {
      for (const [i, v] of value.entries()) walk(v, `${path}[${i}]`);
    } else if (typeof value === 'object' && value !== null) {
      for (const [k, v] of Object.entries(value)) walk(v, path === '' ? k : `${path}.${k}`);
    }
  };
  walk(params, '');
  return received.map((f) => ({ ...f, param: refs.get(f.partName) ?? f.partName }));
}

function isCoverParam(param: string): boolean {
  return /(^|\.)(cover|thumbnail|thumb)$/.test(param);
}

export interface DecodedRequest {
  readonly params: Params;
  readonly transport: Transport;
  readonly files: RecordedFile[];
}

export interface DecodeOptions {
  readonly keepFileBytes: boolean;
  readonly maxJsonBytes: number;
}

/** Reads a Bot API request the way the real server accepts it: query, form, JSON or multipart. */
export async function decodeRequest(req: IncomingMessage, url: URL, options: DecodeOptions): Promise<DecodedRequest> {
  const query = decodeAll(url.searchParams.entries());
  const contentType = (req.headers['content-type'] ?? '').toLowerCase();
  if (contentType.startsWith('multipart/form-data')) {
    const boundary = boundaryOf(req.headers['content-type'] ?? '');
    if (boundary === undefined) throw new BotApiError(400, 'Bad Request: multipart boundary missing');
    const parsed = await parseMultipart(req, boundary, { keepFileBytes: options.keepFileBytes });
    const params = { ...query, ...decodeAll(parsed.fields.entries()) };
    // The message's own media first, covers and thumbnails after: the bot may send a cover
    // before or after the video part (it streams the video while the cover downloads), and
    // `files[0]` is what tests read as "the video".
    const files = bindFiles(params, parsed.files).sort((a, b) => Number(isCoverParam(a.param)) - Number(isCoverParam(b.param)));
    // A part nobody referenced is a direct upload (`photo` as a file part), which the real
    // server also accepts: expose it as that parameter.
    for (const f of files) if (!(f.param in params)) params[f.param] = `attach://${f.partName}`;
    return { params, transport: 'multipart', files };
  }
  const body = await readAll(req, options.maxJsonBytes);
  if (body.length === 0) return { params: query, transport: 'query', files: [] };
  if (contentType.startsWith('application/json')) {
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8')) as unknown;
    } catch {
      throw new BotApiError(400, "Bad Request: can't parse JSON object");
    }
    const parsed = jsonObject.safeParse(json);
    if (!parsed.success) throw new BotApiError(400, 'Bad Request: JSON object expected');
    return { params: { ...query, ...parsed.data }, transport: 'json', files: [] };
  }
  const form = new URLSearchParams(body.toString('utf8'));
  return { params: { ...query, ...decodeAll(form.entries()) }, transport: 'urlencoded', files: [] };
}
