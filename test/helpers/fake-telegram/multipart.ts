import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';

/** One uploaded file part, as the fake saw it on the wire. */
export interface ReceivedFile {
  /** The part's `name` (the `attach://` id for grammY, or the parameter name for direct uploads). */
  readonly partName: string;
  readonly filename: string;
  readonly contentType: string;
  /** Bytes of the file part (after headers, before the next boundary). */
  readonly size: number;
  /** Hex SHA-256 of the bytes, always computed, so count-only mode can still check integrity. */
  readonly sha256: string;
  /** The bytes, or `undefined` in count-only mode. */
  readonly bytes: Buffer | undefined;
  /** `Date.now()` when the first byte of this part's body arrived (headers excluded). */
  readonly firstByteAt: number | undefined;
  /** `Date.now()` when the part ended. */
  readonly lastByteAt: number;
}

export interface MultipartResult {
  readonly fields: Map<string, string>;
  readonly files: ReceivedFile[];
}

class MultipartError extends Error {}

const MAX_HEADER_BYTES = 16 * 1024;
const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

/** Takes the boundary out of a `multipart/form-data; boundary=...` content type. */
export function boundaryOf(contentType: string): string | undefined {
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}

interface PartHeaders {
  name: string;
  filename: string | undefined;
  contentType: string;
}

/**
 * Parses `content-disposition` parameters. grammY writes `filename=` unquoted and last
 * (`form-data;name="x";filename=my clip.mp4`), so an unquoted filename runs to the end
 * of the line instead of stopping at the first `;` or space.
 */
function parseDisposition(value: string): { name?: string; filename?: string } {
  const out: { name?: string; filename?: string } = {};
  const re = /;\s*([a-z*]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/gi;
  for (let m = re.exec(value); m !== null; m = re.exec(value)) {
    const key = (m[1] ?? '').toLowerCase();
    const quoted = m[2];
    let raw = quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : (m[3] ?? '').trim();
    if (key === 'filename' && quoted === undefined) {
      raw = value
        .slice(m.index)
        .replace(/^;\s*filename\s*=\s*/i, '')
        .trim();
      out.filename = raw;
      break;
    }
    if (key === 'name') out.name = raw;
    else if (key === 'filename') out.filename = raw;
    else if (key === 'filename*') {
      const ext = /^[^']*'[^']*'(.*)$/.exec(raw);
      out.filename = decodeURIComponent(ext?.[1] ?? raw);
    }
  }
  return out;
}

function parseHeaders(block: string): PartHeaders {
  let disposition = '';
  let contentType = 'application/octet-stream';
  for (const line of block.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === 'content-disposition') disposition = value;
    else if (key === 'content-type') contentType = value;
  }
  const params = parseDisposition(disposition);
  if (params.name === undefined) throw new MultipartError('part without a name');
  return { name: params.name, filename: params.filename, contentType };
}

export interface ParseOptions {
  /** Keep file bytes in memory (default true). False counts and hashes only, for big uploads. */
  readonly keepFileBytes?: boolean;
  /** Called once per file part when its first body byte arrives (benchmarks time this). */
  readonly onFileStart?: (partName: string, at: number) => void;
  /** Time source for `firstByteAt` / `lastByteAt` (default `Date.now`). */
  readonly now?: () => number;
}

/**
 * Streams a multipart/form-data body. Every delimiter is `\r\n--boundary`; the first
 * one has no leading CRLF, so the parser pretends the body starts with one.
 */
export async function parseMultipart(body: Readable, boundary: string, options: ParseOptions = {}): Promise<MultipartResult> {
  const keep = options.keepFileBytes ?? true;
  const now = options.now ?? Date.now;
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  const fields = new Map<string, string>();
  const files: ReceivedFile[] = [];

  type State = 'preamble' | 'after-delimiter' | 'headers' | 'body' | 'done';
  // A holder, not a `let`: TS would narrow a local to its first value across `step()` calls.
  const parser: { state: State } = { state: 'preamble' };
  let buf: Buffer = Buffer.from(CRLF);
  let part: PartHeaders | undefined;
  let chunks: Buffer[] = [];
  let size = 0;
  let hash = createHash('sha256');
  let firstByteAt: number | undefined;

  const emit = (data: Buffer): void => {
    if (data.length === 0 || part === undefined) return;
    if (part.filename !== undefined) {
      if (firstByteAt === undefined) {
        firstByteAt = now();
        options.onFileStart?.(part.name, firstByteAt);
      }
      hash.update(data);
      if (keep) chunks.push(data);
    } else {
      chunks.push(data);
    }
    size += data.length;
  };
  const endPart = (): void => {
    if (part === undefined) return;
    if (part.filename !== undefined) {
      files.push({
        partName: part.name,
        filename: part.filename,
        contentType: part.contentType,
        size,
        sha256: hash.digest('hex'),
        bytes: keep ? Buffer.concat(chunks) : undefined,
        firstByteAt,
        lastByteAt: now(),
      });
    } else {
      fields.set(part.name, Buffer.concat(chunks).toString('utf8'));
    }
    part = undefined;
  };

  const step = (): boolean => {
    switch (parser.state) {
      case 'preamble': {
        const at = buf.indexOf(delimiter);
        if (at < 0) {
          buf = buf.subarray(Math.max(0, buf.length - delimiter.length));
          return false;
        }
        buf = buf.subarray(at + delimiter.length);
        parser.state = 'after-delimiter';
        return true;
      }
      case 'after-delimiter': {
        if (buf.length < 2) return false;
        if (buf[0] === 0x2d && buf[1] === 0x2d) {
          parser.state = 'done';
          return false;
        }
        // Transport padding (spaces/tabs) may sit between the boundary and its CRLF.
        const eol = buf.indexOf(CRLF);
        if (eol < 0) return false;
        buf = buf.subarray(eol + 2);
        parser.state = 'headers';
        return true;
      }
      case 'headers': {
        const at = buf.indexOf(HEADER_END);
        // A part with no headers at all starts straight with the blank line.
        const emptyHeaders = buf.length >= 2 && buf[0] === 0x0d && buf[1] === 0x0a;
        if (emptyHeaders) throw new MultipartError('part without headers');
        if (at < 0) {
          if (buf.length > MAX_HEADER_BYTES) throw new MultipartError('part headers too long');
          return false;
        }
        part = parseHeaders(buf.subarray(0, at).toString('utf8'));
        buf = buf.subarray(at + HEADER_END.length);
        chunks = [];
        size = 0;
        hash = createHash('sha256');
        firstByteAt = undefined;
        parser.state = 'body';
        return true;
      }
      case 'body': {
        const at = buf.indexOf(delimiter);
        if (at < 0) {
          // Keep a tail that could be the start of a delimiter split across chunks.
          const safe = buf.length - (delimiter.length - 1);
          if (safe > 0) {
            emit(buf.subarray(0, safe));
            buf = buf.subarray(safe);
          }
          return false;
        }
        emit(buf.subarray(0, at));
        endPart();
        buf = buf.subarray(at + delimiter.length);
        parser.state = 'after-delimiter';
        return true;
      }
      case 'done':
        return false;
    }
  };

  for await (const raw of body) {
    const chunk: Buffer = Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw));
    if (parser.state === 'done') continue; // epilogue: drain and ignore
    // Copy so that bytes kept for a part never alias a buffer the stream reuses.
    buf = buf.length === 0 ? Buffer.from(chunk) : Buffer.concat([buf, chunk]);
    while (step()) {
      /* keep stepping while progress is made */
    }
  }
  if (parser.state !== 'done') throw new MultipartError(`body ended in state ${parser.state}`);
  return { fields, files };
}
