// Minimal streaming multipart/form-data reader: enough for what @discordjs/rest and the bot
// send (payload_json plus files[n] parts). Binary-safe: parts are sliced from the raw bytes,
// never decoded. Bytes are taken as they arrive; a part larger than `keepUpTo` keeps only
// its size and SHA-256 (a 100 MB upload costs the fake no 100 MB).
import { createHash, type Hash } from 'node:crypto';

export interface MultipartPart {
  name: string;
  filename?: string;
  contentType?: string;
  /** The bytes, or empty when the part was larger than `keepUpTo`. */
  data: Buffer;
  size: number;
  sha256: string;
}

export function boundaryOf(contentType: string): string | undefined {
  const match = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  return match?.[1] ?? match?.[2]?.trim();
}

interface OpenPart {
  part: Omit<MultipartPart, 'data' | 'sha256'>;
  chunks: Buffer[] | undefined;
  hash: Hash;
}

export interface MultipartReader {
  write(chunk: Buffer): void;
  /** The parts read so far (all of them once the body ended). */
  end(): MultipartPart[];
}

export function createMultipartReader(boundary: string, keepUpTo = Number.POSITIVE_INFINITY): MultipartReader {
  // The body's first delimiter has no CRLF before it: start as if one had come.
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  const headerEnd = Buffer.from('\r\n\r\n');
  const parts: MultipartPart[] = [];
  let buf: Buffer = Buffer.from('\r\n');
  let state: 'preamble' | 'headers' | 'data' | 'done' = 'preamble';
  let open: OpenPart | undefined;

  const data = (bytes: Buffer): void => {
    if (open === undefined || bytes.length === 0) return;
    open.part.size += bytes.length;
    open.hash.update(bytes);
    if (open.chunks !== undefined) {
      // payload_json and other fields are always kept; files only up to `keepUpTo`.
      if (open.part.filename !== undefined && open.part.size > keepUpTo) open.chunks = undefined;
      else open.chunks.push(Buffer.from(bytes));
    }
  };
  const close = (): void => {
    if (open === undefined) return;
    parts.push({ ...open.part, data: open.chunks === undefined ? Buffer.alloc(0) : Buffer.concat(open.chunks), sha256: open.hash.digest('hex') });
    open = undefined;
  };
  const headers = (text: string): void => {
    const disposition = /content-disposition:[^\r\n]*/i.exec(text)?.[0] ?? '';
    const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
    const contentType = /content-type:\s*([^\r\n]+)/i.exec(text)?.[1]?.trim();
    open = {
      part: {
        name: /\bname="([^"]*)"/i.exec(disposition)?.[1] ?? '',
        size: 0,
        ...(filename !== undefined ? { filename } : {}),
        ...(contentType !== undefined ? { contentType } : {}),
      },
      chunks: [],
      hash: createHash('sha256'),
    };
  };

  const step = (): boolean => {
    if (state === 'done') {
      buf = Buffer.alloc(0);
      return false;
    }
    if (state === 'headers') {
      const end = buf.indexOf(headerEnd);
      if (end === -1) return false;
      headers(buf.subarray(0, end).toString('utf8'));
      buf = buf.subarray(end + headerEnd.length);
      state = 'data';
      return true;
    }
    const at = buf.indexOf(delimiter);
    if (at === -1) {
      // Keep what could be the start of a delimiter split across chunks.
      const safe = Math.max(0, buf.length - delimiter.length + 1);
      if (state === 'data') data(buf.subarray(0, safe));
      buf = buf.subarray(safe);
      return false;
    }
    if (buf.length < at + delimiter.length + 2) return false;
    if (state === 'data') data(buf.subarray(0, at));
    close();
    const after = buf.subarray(at + delimiter.length, at + delimiter.length + 2).toString('latin1');
    buf = buf.subarray(at + delimiter.length + 2);
    state = after === '--' ? 'done' : 'headers';
    return true;
  };

  return {
    write(chunk) {
      buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
      while (step());
    },
    end() {
      return parts;
    },
  };
}
