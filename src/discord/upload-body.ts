/**
 * A Discord message with attachments as a streamed multipart/form-data body. Nothing is
 * buffered: each attempt opens the MediaSources again and their bytes go to the socket as
 * they arrive, so memory per upload is a few chunks whatever the file size (a 100 MB clip
 * on a boosted server included). @discordjs/rest would copy every file into a Blob first
 * (its RawFile `data` is a Buffer or a string), so the body travels through REST as an
 * opaque `passThroughBody` and src/discord/rest-request.ts sends it; REST still queues
 * the request, adds the token and waits out 429s. See docs/performance.md, "Discord uploads".
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { RequestData } from 'discord.js';
import type { MediaSource } from '../core/reply.js';
import { UploadTooLargeError } from '../core/upload-limit.js';

/** One attachment: the name Discord shows and where its bytes come from. */
export interface UploadFile {
  name: string;
  media: MediaSource;
}

/** How big each attachment may be, and the signal that stops reading the sources. */
export interface UploadLimits {
  limitBytes: number;
  signal?: AbortSignal;
}

/** Attachment `index` of the message is over the limit (an album leaves it out and sends the rest). */
export class AttachmentTooLargeError extends UploadTooLargeError {
  readonly index: number;
  constructor(index: number, limitBytes: number, sizeBytes?: number) {
    super(limitBytes, sizeBytes);
    this.index = index;
  }
}

/** One attempt's body, opened: the bytes in order, and what happened to them. */
export interface OpenedUpload {
  body: Readable;
  /** Total bytes, when every source told its size (else the body goes chunked). */
  length: number | undefined;
  /** The body ended before its last byte (the connection was cut) and no source failed. */
  cutMidway(): boolean;
  /** A source's own failure (over the limit, a download that broke), to be reported as it is. */
  sourceError(): unknown;
  /** Releases the sources (an attempt that never started its body). */
  close(): void;
}

const CRLF = '\r\n';

/** Quotes a name for Content-Disposition the way browsers and undici do. */
const quoted = (name: string): string => name.replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/"/g, '%22');

function contentTypeOf(name: string): string {
  const lower = name.toLowerCase();
  if (lower.endsWith('.mp4')) return 'video/mp4';
  if (lower.endsWith('.jpg') || lower.endsWith('.jpeg')) return 'image/jpeg';
  if (lower.endsWith('.png')) return 'image/png';
  return 'application/octet-stream';
}

/** A fixed part of the body (boundaries, headers, JSON), or an opened source's bytes. */
type Piece = Uint8Array | { index: number; stream: Readable; sizeBytes?: number };

interface BodyOutcome {
  /** The last byte went out. */
  finished: boolean;
  /** A source failed (or passed the limit): the request was aborted for this. */
  failure: unknown;
}

/**
 * The pieces as one Readable. Sources are piped by their 'data' events, paused while the
 * socket is full: the same few chunks in flight as a plain pipe, no promise per chunk. A
 * source passing the limit, failing or ending short of its announced size destroys the body
 * (the request is aborted; Discord never sees a partial file as a whole one).
 */
function bodyStream(pieces: readonly Piece[], limitBytes: number, outcome: BodyOutcome, close: () => void): Readable {
  let next = 0;
  let current: Readable | undefined;
  const fail = (err: unknown): void => {
    outcome.failure ??= err;
    body.destroy(err instanceof Error ? err : new Error(String(err)));
  };
  const advance = (): void => {
    for (;;) {
      const piece = pieces[next++];
      if (piece === undefined) {
        outcome.finished = true;
        body.push(null);
        return;
      }
      if (piece instanceof Uint8Array) {
        if (!body.push(piece)) return;
        continue;
      }
      const { index, stream, sizeBytes } = piece;
      let sent = 0;
      current = stream;
      stream.on('data', (chunk: Buffer) => {
        sent += chunk.byteLength;
        if (sent > limitBytes) return fail(new AttachmentTooLargeError(index, limitBytes));
        if (!body.push(chunk)) stream.pause();
      });
      stream.once('end', () => {
        current = undefined;
        // A length was announced: a source that ends short must not leave the request hanging.
        if (sizeBytes !== undefined && sent !== sizeBytes) return fail(new Error(`attachment ${index} had ${sent} bytes, ${sizeBytes} announced`));
        advance();
      });
      stream.once('error', fail);
      return;
    }
  };
  const body = new Readable({
    read() {
      if (current !== undefined) current.resume();
      else if (!outcome.finished) advance();
    },
    destroy(err, callback) {
      close();
      callback(err);
    },
  });
  return body;
}

export class StreamedUpload {
  readonly boundary = `blink-bot-${randomBytes(12).toString('hex')}`;

  constructor(
    /** The message JSON, sent as `payload_json`. */
    readonly payload: unknown,
    readonly files: readonly UploadFile[],
    private readonly limits: UploadLimits,
  ) {}

  /** The sender's own signal (shutdown, or the caller giving up), not REST's per-request timeout. */
  get signal(): AbortSignal | undefined {
    return this.limits.signal;
  }

  get contentType(): string {
    return `multipart/form-data; boundary=${this.boundary}`;
  }

  /** Opens every source for one attempt; a size announced over the limit fails here, before any byte is sent. */
  async open(): Promise<OpenedUpload> {
    const { limitBytes, signal } = this.limits;
    for (const [index, file] of this.files.entries()) {
      const size = file.media.sizeBytes;
      if (size !== undefined && size > limitBytes) throw new AttachmentTooLargeError(index, limitBytes, size);
    }
    const opened: { stream: Readable; sizeBytes?: number }[] = [];
    const close = (): void => {
      for (const o of opened) o.stream.destroy();
    };
    try {
      for (const [index, file] of this.files.entries()) {
        const source = await file.media.open(signal);
        opened.push(source);
        if (source.sizeBytes !== undefined && source.sizeBytes > limitBytes) throw new AttachmentTooLargeError(index, limitBytes, source.sizeBytes);
      }
    } catch (err) {
      close();
      throw err;
    }
    const encoder = new TextEncoder();
    const head = encoder.encode(
      `--${this.boundary}${CRLF}Content-Disposition: form-data; name="payload_json"${CRLF}Content-Type: application/json${CRLF}${CRLF}${JSON.stringify(this.payload)}${CRLF}`,
    );
    const fileHeads = this.files.map((file, index) =>
      encoder.encode(
        `--${this.boundary}${CRLF}Content-Disposition: form-data; name="files[${index}]"; filename="${quoted(file.name)}"${CRLF}Content-Type: ${contentTypeOf(file.name)}${CRLF}${CRLF}`,
      ),
    );
    const crlf = encoder.encode(CRLF);
    const tail = encoder.encode(`--${this.boundary}--${CRLF}`);
    const sizes = opened.map((o) => o.sizeBytes);
    const length = sizes.every((s) => s !== undefined)
      ? head.byteLength + tail.byteLength + fileHeads.reduce((sum, h, i) => sum + h.byteLength + (sizes[i] ?? 0) + crlf.byteLength, 0)
      : undefined;

    const pieces: Piece[] = [head];
    for (const [index, source] of opened.entries()) pieces.push(fileHeads[index] ?? crlf, { index, ...source }, crlf);
    pieces.push(tail);
    const outcome: BodyOutcome = { finished: false, failure: undefined };
    const body = bodyStream(pieces, limitBytes, outcome, close);
    return {
      body,
      length,
      cutMidway: () => !outcome.finished && outcome.failure === undefined,
      sourceError: () => outcome.failure,
      close,
    };
  }
}

/**
 * REST request data for a message body: JSON as usual, or with attachments a StreamedUpload
 * that REST passes through untouched to src/discord/rest-request.ts.
 */
export function messageRequest(json: Record<string, unknown>, message: { files: readonly UploadFile[]; limits: UploadLimits }): RequestData {
  if (message.files.length === 0) return { body: json };
  const attachments = message.files.map((f, id) => ({ id, filename: f.name }));
  return { body: new StreamedUpload({ ...json, attachments }, message.files, message.limits), passThroughBody: true };
}
